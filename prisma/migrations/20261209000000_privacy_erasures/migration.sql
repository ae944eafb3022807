-- One row per erasure of a person's data (feedback-cli privacy erase): who asked for it, when, what it changed
-- (counts and the ticket ids touched) and a salted sha256 of the normalised name or e-mail, so that a later
-- question "was X erased?" can be answered for a given X, while the table itself names nobody.
CREATE TABLE "privacy_erasures" (
    "request_id" UUID NOT NULL,
    "actor" TEXT NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_hash" TEXT NOT NULL,
    "salt" TEXT NOT NULL,
    "counts" JSONB NOT NULL,
    "ticket_ids" JSONB NOT NULL DEFAULT '[]',
    "erased_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "privacy_erasures_pkey" PRIMARY KEY ("request_id"),
    CONSTRAINT "privacy_erasures_subject_kind_check" CHECK ("subject_kind" IN ('email', 'name'))
);
CREATE INDEX "privacy_erasures_erased_at_idx" ON "privacy_erasures"("erased_at");
