-- Who changed which configuration value, when, from what to what: one row per changed key, written in the
-- same transaction as the change (feedback-cli config set / edit, the dashboard's Configuration page).
-- Existing data is kept: each stored value starts its history with who set it last and when (before: NULL).
CREATE TABLE "configuration_history" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB NOT NULL,
    "actor" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "configuration_history_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "configuration_history_key_changed_at_idx" ON "configuration_history"("key", "changed_at");

INSERT INTO "configuration_history" ("key", "before", "after", "actor", "changed_at")
SELECT "key", NULL, "value", "updated_by", "updated_at" FROM "configurations" ORDER BY "updated_at", "key";
