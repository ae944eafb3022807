-- Duplicate grouping (issue 15): one ticket per problem, with its reach. Every feedback item belongs to exactly one
-- ticket through ticket_items (primary key on the item: an item is never in two tickets, and redelivery, which
-- writes no second feedback item, can never add it twice). A ticket folded into another keeps its row as the
-- item's triage record, with merged_into set; lists, counts and trends leave such rows out.
ALTER TABLE "tickets" ADD COLUMN "reach" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "tickets" ADD COLUMN "first_seen_at" TIMESTAMPTZ(3);
ALTER TABLE "tickets" ADD COLUMN "last_seen_at" TIMESTAMPTZ(3);
ALTER TABLE "tickets" ADD COLUMN "versions" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "tickets" ADD COLUMN "platforms" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "tickets" ADD COLUMN "quotes" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "tickets" ADD COLUMN "merged_into" UUID;
ALTER TABLE "tickets" ADD COLUMN "grouped_at" TIMESTAMPTZ(3);
ALTER TABLE "tickets" ADD COLUMN "regressed_at" TIMESTAMPTZ(3);
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_reach_check" CHECK ("reach" >= 1);
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_merged_into_fkey" FOREIGN KEY ("merged_into") REFERENCES "tickets"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "tickets_merged_into_idx" ON "tickets"("merged_into");
CREATE INDEX "tickets_app_category_last_seen_at_idx" ON "tickets"("app", "category", "last_seen_at");
CREATE INDEX "tickets_feedback_item_id_idx" ON "tickets"("feedback_item_id");
-- Partial (Prisma cannot declare it): the async grouping stage's backlog, oldest first.
CREATE INDEX "tickets_grouping_pending_idx" ON "tickets"("created_at", "id") WHERE "grouped_at" IS NULL AND "merged_into" IS NULL;

CREATE TABLE "ticket_items" (
    "feedback_item_id" UUID NOT NULL,
    "ticket_id" UUID NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "added_by" TEXT NOT NULL DEFAULT 'triage',
    "similarity" DOUBLE PRECISION,
    CONSTRAINT "ticket_items_pkey" PRIMARY KEY ("feedback_item_id")
);
CREATE INDEX "ticket_items_ticket_id_added_at_idx" ON "ticket_items"("ticket_id", "added_at");
ALTER TABLE "ticket_items" ADD CONSTRAINT "ticket_items_feedback_item_id_fkey" FOREIGN KEY ("feedback_item_id") REFERENCES "feedback_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ticket_items" ADD CONSTRAINT "ticket_items_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One sentence embedding per feedback item, computed once (model named, so a new encoder recomputes).
CREATE TABLE "item_embeddings" (
    "feedback_item_id" UUID NOT NULL,
    "model" TEXT NOT NULL,
    "vector" REAL[] NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "item_embeddings_pkey" PRIMARY KEY ("feedback_item_id")
);
ALTER TABLE "item_embeddings" ADD CONSTRAINT "item_embeddings_feedback_item_id_fkey" FOREIGN KEY ("feedback_item_id") REFERENCES "feedback_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Grey-zone matches: the item kept its own ticket; a person accepts (merge) or dismisses.
CREATE TABLE "merge_suggestions" (
    "id" BIGSERIAL NOT NULL,
    "ticket_id" UUID NOT NULL,
    "target_id" UUID NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),
    "decided_by" TEXT,
    CONSTRAINT "merge_suggestions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "merge_suggestions_status_check" CHECK ("status" IN ('pending', 'accepted', 'dismissed'))
);
CREATE UNIQUE INDEX "merge_suggestions_ticket_id_target_id_key" ON "merge_suggestions"("ticket_id", "target_id");
CREATE INDEX "merge_suggestions_status_created_at_idx" ON "merge_suggestions"("status", "created_at");
ALTER TABLE "merge_suggestions" ADD CONSTRAINT "merge_suggestions_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "merge_suggestions" ADD CONSTRAINT "merge_suggestions_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing data is kept: every ticket is its own group of one (reach 1) with its source item linked, seen when its
-- feedback was written (else triaged), its version and platform from the item or the crew's details, its text as
-- the one quote; and it counts as grouped already (grouping applies to items that arrive from now on).
INSERT INTO "ticket_items" ("feedback_item_id", "ticket_id", "added_at", "added_by")
SELECT "feedback_item_id", "id", "created_at", 'migration' FROM "tickets" WHERE "feedback_item_id" IS NOT NULL
ON CONFLICT DO NOTHING;

UPDATE "tickets" t SET
  "first_seen_at" = COALESCE(t."submitted_at", t."created_at"),
  "last_seen_at" = COALESCE(t."submitted_at", t."created_at"),
  "grouped_at" = t."created_at",
  "versions" = COALESCE((SELECT jsonb_agg(v) FROM (SELECT NULLIF(btrim(COALESCE(fi."payload"->>'appVersion', t."technical_details"->>'appVersion')), '') AS v) x WHERE v IS NOT NULL), '[]'),
  "platforms" = COALESCE((SELECT jsonb_agg(p) FROM (SELECT NULLIF(btrim(COALESCE(t."technical_details"->>'platform', fi."payload"->>'platform')), '') AS p) y WHERE p IS NOT NULL), '[]'),
  "quotes" = CASE WHEN fi."id" IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object(
    'sourceId', t."source_id", 'text', left(COALESCE(fi."payload"->>'text', ''), 280))) END
FROM "tickets" t2 LEFT JOIN "feedback_items" fi ON fi."id" = t2."feedback_item_id"
WHERE t2."id" = t."id";

INSERT INTO "configurations" ("key", "value", "description") VALUES
('grouping', '{
  "enabled": false,
  "categories": ["Bug", "Feature Request", "Complaint"],
  "closedWithinDays": 30,
  "joinThreshold": 0.65,
  "suggestThreshold": 0.55,
  "priorityRules": [
    {"minReach": 10, "withinDays": 7, "priority": "High"},
    {"minReach": 50, "withinDays": 7, "priority": "Critical"}
  ]
}', 'Duplicate grouping: on/off, which categories, the reopen window for closed tickets, similarity thresholds (join; grey zone = merge suggestion) and priority by reach and recency')
ON CONFLICT ("key") DO NOTHING;
INSERT INTO "configuration_history" ("key", "before", "after", "actor")
SELECT "key", NULL, "value", "updated_by" FROM "configurations" WHERE "key" = 'grouping'
  AND NOT EXISTS (SELECT 1 FROM "configuration_history" WHERE "key" = 'grouping');
