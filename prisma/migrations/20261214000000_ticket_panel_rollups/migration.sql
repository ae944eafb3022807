-- The analytics page's panels from rollups (issue 20): top requested features, bug hotspots and ratings counted
-- like `ticket_rollups` counts tickets, so the page reads groups, not tickets.

-- The star rating of a feedback item's payload (1-5), else null: what the ratings panel shows as "no rating".
CREATE FUNCTION "feedback_rating"(payload JSONB) RETURNS SMALLINT LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN payload->>'rating' ~ '^[1-5]$' THEN (payload->>'rating')::smallint END
$$;

-- The ticket's own feedback item's rating, kept on the ticket (set by the ticket writer, followed on item edits
-- below), so the rollup triggers read nothing but the ticket rows.
ALTER TABLE "tickets" ADD COLUMN "rating" SMALLINT CONSTRAINT "tickets_rating_check" CHECK ("rating" BETWEEN 1 AND 5);
UPDATE "tickets" t SET "rating" = "feedback_rating"(fi."payload")
FROM "feedback_items" fi WHERE fi."id" = t."feedback_item_id" AND "feedback_rating"(fi."payload") IS NOT NULL;

-- The feature a ticket asks for, as the top-features panel groups it.
CREATE FUNCTION "ticket_feature_label"(details JSONB) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT lower(btrim(COALESCE(NULLIF(details->>'requestedCapability', ''), NULLIF(details->>'affectedFeature', ''))))
$$;

-- A ticket's panel values: its rating (every ticket), its requested feature (feature requests) and its app
-- version, platform and device (bugs), each as (panel, value) with value as the panels group it (null kept).
CREATE FUNCTION "ticket_panel_values"(category TEXT, details JSONB, rating SMALLINT)
RETURNS TABLE ("panel" TEXT, "value" TEXT) LANGUAGE sql IMMUTABLE AS $$
  SELECT 'rating', rating::text
  UNION ALL
  SELECT 'feature', "ticket_feature_label"(details) WHERE category = 'Feature Request'
  UNION ALL
  SELECT d, details->>d FROM unnest(ARRAY['appVersion', 'platform', 'device']) AS d WHERE category = 'Bug'
$$;

-- One row per (ticket_rollups' key, panel, value) with the number of listed tickets (merged ones left out).
CREATE TABLE "ticket_panel_rollups" (
    "day" DATE NOT NULL,
    "app" TEXT,
    "source_type" TEXT NOT NULL,
    "language" TEXT,
    "category" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "panel" TEXT NOT NULL,
    "value" TEXT,
    "n" INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX "ticket_panel_rollups_key" ON "ticket_panel_rollups"
    ("day", "app", "source_type", "language", "category", "priority", "status", "panel", "value") NULLS NOT DISTINCT;

-- As ticket_rollups_on_write: inserted rows count +1, deleted rows -1 (the trigger's argument), one grouped upsert
-- in key order per statement.
CREATE FUNCTION "ticket_panel_rollups_on_write"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ticket_panel_rollups" AS r ("day", "app", "source_type", "language", "category", "priority", "status", "panel", "value", "n")
  SELECT (COALESCE(c."submitted_at", c."created_at") AT TIME ZONE 'UTC')::date, c."app", c."source_type", c."language",
         c."category", c."priority", c."status", p."panel", p."value", sum(c."sign")::int
  FROM (SELECT n."submitted_at", n."created_at", n."app", n."source_type", n."language", n."category", n."priority",
               n."status", n."technical_details", n."rating", TG_ARGV[0]::int AS "sign"
        FROM changed_rows n WHERE n."merged_into" IS NULL) c
  CROSS JOIN LATERAL "ticket_panel_values"(c."category", c."technical_details", c."rating") p
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  HAVING sum(c."sign") <> 0
  ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  ON CONFLICT ("day", "app", "source_type", "language", "category", "priority", "status", "panel", "value")
  DO UPDATE SET "n" = r."n" + EXCLUDED."n";
  RETURN NULL;
END $$;

-- Only the rows whose keys, merged state, rating or technical details changed: -1 as they were, +1 as they are.
CREATE FUNCTION "ticket_panel_rollups_on_update"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  WITH moved AS MATERIALIZED (
    SELECT o AS was, n AS "is" FROM old_rows o JOIN new_rows n ON n."id" = o."id"
    WHERE (n."merged_into", n."submitted_at", n."created_at", n."app", n."source_type", n."language", n."category",
           n."priority", n."status", n."rating", n."technical_details")
          IS DISTINCT FROM
          (o."merged_into", o."submitted_at", o."created_at", o."app", o."source_type", o."language", o."category",
           o."priority", o."status", o."rating", o."technical_details")
  ), changed AS (
    SELECT (was).*, -1 AS "sign" FROM moved WHERE (was)."merged_into" IS NULL
    UNION ALL
    SELECT ("is").*, 1 FROM moved WHERE ("is")."merged_into" IS NULL
  )
  INSERT INTO "ticket_panel_rollups" AS r ("day", "app", "source_type", "language", "category", "priority", "status", "panel", "value", "n")
  SELECT (COALESCE(c."submitted_at", c."created_at") AT TIME ZONE 'UTC')::date, c."app", c."source_type", c."language",
         c."category", c."priority", c."status", p."panel", p."value", sum(c."sign")::int
  FROM changed c CROSS JOIN LATERAL "ticket_panel_values"(c."category", c."technical_details", c."rating") p
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  HAVING sum(c."sign") <> 0
  ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  ON CONFLICT ("day", "app", "source_type", "language", "category", "priority", "status", "panel", "value")
  DO UPDATE SET "n" = r."n" + EXCLUDED."n";
  RETURN NULL;
END $$;

CREATE TRIGGER "tickets_panel_rollups_insert" AFTER INSERT ON "tickets"
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "ticket_panel_rollups_on_write"('1');
CREATE TRIGGER "tickets_panel_rollups_update" AFTER UPDATE ON "tickets"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "ticket_panel_rollups_on_update"();
CREATE TRIGGER "tickets_panel_rollups_delete" AFTER DELETE ON "tickets"
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "ticket_panel_rollups_on_write"('-1');

-- An edited item (a store review revised, a person's data erased) carries its new rating to its ticket; the
-- ticket's update trigger then moves the count.
CREATE FUNCTION "ticket_rating_on_item_update"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "tickets" t SET "rating" = "feedback_rating"(n."payload")
  FROM new_rows n JOIN old_rows o ON o."id" = n."id"
  WHERE "feedback_rating"(o."payload") IS DISTINCT FROM "feedback_rating"(n."payload")
    AND t."feedback_item_id" = n."id" AND t."rating" IS DISTINCT FROM "feedback_rating"(n."payload");
  RETURN NULL;
END $$;
CREATE TRIGGER "feedback_items_rating_update" AFTER UPDATE ON "feedback_items"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "ticket_rating_on_item_update"();

-- Backfill: the tickets stored before this migration.
INSERT INTO "ticket_panel_rollups" ("day", "app", "source_type", "language", "category", "priority", "status", "panel", "value", "n")
SELECT (COALESCE(t."submitted_at", t."created_at") AT TIME ZONE 'UTC')::date, t."app", t."source_type", t."language",
       t."category", t."priority", t."status", p."panel", p."value", count(*)::int
FROM "tickets" t CROSS JOIN LATERAL "ticket_panel_values"(t."category", t."technical_details", t."rating") p
WHERE t."merged_into" IS NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
