-- Store sources (feedback-cli sources add): which app of which store to pull reviews from, with credentials named by
-- file path or environment variable (never the secret), and where the next pull starts (the cursor) and how the last
-- one went. One row per source, written after every page so a crashed pull resumes where it stopped.
CREATE TABLE "store_sources" (
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "cursor" JSONB NOT NULL DEFAULT '{"watermark": null, "resume": null}',
    "last_pull" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "store_sources_pkey" PRIMARY KEY ("name"),
    CONSTRAINT "store_sources_kind_check" CHECK ("kind" IN ('app-store-connect', 'google-play'))
);
