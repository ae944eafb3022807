-- The language of each ticket's feedback (ISO 639-1: "en", "de"), detected by the agent crew (issue 13). Nullable:
-- null means undetermined (too short to tell, no words) and is what tickets written before this column keep; the
-- detector runs in the application, so there is no backfill here (re-triage writes it for old tickets).
ALTER TABLE "tickets" ADD COLUMN "language" TEXT;
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_language_check" CHECK ("language" ~ '^[a-z]{2}$');

-- The tickets page filters by language, newest first.
CREATE INDEX "tickets_language_created_at_idx" ON "tickets"("language", "created_at");
