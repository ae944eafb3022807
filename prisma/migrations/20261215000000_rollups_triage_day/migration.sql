-- The triage day in the rollups (issue 20): both rollups gain "created_day", the UTC day of tickets.created_at, as a
-- key beside the feedback's own day, so a range over when tickets were triaged (`dateBy: "created"`, the filters'
-- default; the analytics page's `by=created`) reads groups too instead of scanning the tickets. One set answers
-- either basis; it grows only where feedback and triage fall on different days. The counts are derived from the
-- tickets, so they are rebuilt from them here.

-- No ticket write may land between the rebuild and the new triggers' first use.
LOCK TABLE "tickets" IN SHARE MODE;

TRUNCATE "ticket_rollups", "ticket_panel_rollups";
DROP INDEX "ticket_rollups_key";
DROP INDEX "ticket_panel_rollups_key";
ALTER TABLE "ticket_rollups" ADD COLUMN "created_day" DATE NOT NULL;
ALTER TABLE "ticket_panel_rollups" ADD COLUMN "created_day" DATE NOT NULL;
CREATE UNIQUE INDEX "ticket_rollups_key" ON "ticket_rollups"
    ("day", "created_day", "app", "source_type", "language", "category", "priority", "status") NULLS NOT DISTINCT;
CREATE UNIQUE INDEX "ticket_panel_rollups_key" ON "ticket_panel_rollups"
    ("day", "created_day", "app", "source_type", "language", "category", "priority", "status", "panel", "value") NULLS NOT DISTINCT;

-- Each rollup's grouped upsert, now in one place: the rows `removed` count -1 and the rows `added` +1 (merged ones
-- left out), summed by key, groups that net to nothing skipped, upserted in key order (migration 20261210000100).
CREATE FUNCTION "ticket_rollups_apply"("removed" "tickets"[], "added" "tickets"[]) RETURNS VOID LANGUAGE sql AS $$
  INSERT INTO "ticket_rollups" AS r ("day", "created_day", "app", "source_type", "language", "category", "priority", "status", "n", "confidence_sum")
  SELECT (COALESCE(c."submitted_at", c."created_at") AT TIME ZONE 'UTC')::date, (c."created_at" AT TIME ZONE 'UTC')::date,
         c."app", c."source_type", c."language", c."category", c."priority", c."status", sum(c."sign")::int, sum(c."sign" * c."confidence")
  FROM (SELECT o.*, -1 AS "sign" FROM unnest("removed") o UNION ALL SELECT a.*, 1 FROM unnest("added") a) c
  WHERE c."merged_into" IS NULL
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  HAVING sum(c."sign") <> 0 OR abs(sum(c."sign" * c."confidence")) > 1e-9
  ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT ("day", "created_day", "app", "source_type", "language", "category", "priority", "status")
  DO UPDATE SET "n" = r."n" + EXCLUDED."n", "confidence_sum" = r."confidence_sum" + EXCLUDED."confidence_sum";
$$;

CREATE FUNCTION "ticket_panel_rollups_apply"("removed" "tickets"[], "added" "tickets"[]) RETURNS VOID LANGUAGE sql AS $$
  INSERT INTO "ticket_panel_rollups" AS r ("day", "created_day", "app", "source_type", "language", "category", "priority", "status", "panel", "value", "n")
  SELECT (COALESCE(c."submitted_at", c."created_at") AT TIME ZONE 'UTC')::date, (c."created_at" AT TIME ZONE 'UTC')::date,
         c."app", c."source_type", c."language", c."category", c."priority", c."status", p."panel", p."value", sum(c."sign")::int
  FROM (SELECT o.*, -1 AS "sign" FROM unnest("removed") o UNION ALL SELECT a.*, 1 FROM unnest("added") a) c
  CROSS JOIN LATERAL "ticket_panel_values"(c."category", c."technical_details", c."rating") p
  WHERE c."merged_into" IS NULL
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  HAVING sum(c."sign") <> 0
  ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  ON CONFLICT ("day", "created_day", "app", "source_type", "language", "category", "priority", "status", "panel", "value")
  DO UPDATE SET "n" = r."n" + EXCLUDED."n";
$$;

-- The triggers: one function for inserts and deletes and one for updates, serving both rollups (the trigger's
-- argument names its apply function). Inserted rows are added and deleted rows removed; an update moves only the
-- rows whose keys, counted values or merged state changed (one rollup's values moving nets to nothing in the other).
CREATE OR REPLACE FUNCTION "ticket_rollups_on_write"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
  "changed" "tickets"[] := ARRAY(SELECT n::"tickets" FROM changed_rows n WHERE n."merged_into" IS NULL);
BEGIN
  IF TG_OP = 'INSERT' THEN EXECUTE format('SELECT %I($1, $2)', TG_ARGV[0]) USING '{}'::"tickets"[], "changed";
  ELSE EXECUTE format('SELECT %I($1, $2)', TG_ARGV[0]) USING "changed", '{}'::"tickets"[];
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "ticket_rollups_on_update"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
  "was" "tickets"[];
  "is" "tickets"[];
BEGIN
  SELECT array_agg(o::"tickets"), array_agg(n::"tickets") INTO "was", "is"
  FROM old_rows o JOIN new_rows n ON n."id" = o."id"
  WHERE (n."merged_into", n."submitted_at", n."created_at", n."app", n."source_type", n."language", n."category",
         n."priority", n."status", n."confidence", n."rating", n."technical_details")
        IS DISTINCT FROM
        (o."merged_into", o."submitted_at", o."created_at", o."app", o."source_type", o."language", o."category",
         o."priority", o."status", o."confidence", o."rating", o."technical_details");
  IF "was" IS NOT NULL THEN EXECUTE format('SELECT %I($1, $2)', TG_ARGV[0]) USING "was", "is"; END IF;
  RETURN NULL;
END $$;

-- The six triggers (same names) on those two functions.
DO $$
DECLARE "rollup" TEXT;
BEGIN
  FOREACH "rollup" IN ARRAY ARRAY['rollups', 'panel_rollups'] LOOP
    EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT ON "tickets" REFERENCING NEW TABLE AS changed_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "ticket_rollups_on_write"(%L)', 'tickets_' || "rollup" || '_insert', 'ticket_' || "rollup" || '_apply');
    EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER UPDATE ON "tickets" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "ticket_rollups_on_update"(%L)', 'tickets_' || "rollup" || '_update', 'ticket_' || "rollup" || '_apply');
    EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER DELETE ON "tickets" REFERENCING OLD TABLE AS changed_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "ticket_rollups_on_write"(%L)', 'tickets_' || "rollup" || '_delete', 'ticket_' || "rollup" || '_apply');
  END LOOP;
END $$;
DROP FUNCTION "ticket_panel_rollups_on_write"();
DROP FUNCTION "ticket_panel_rollups_on_update"();

-- Rebuild: the tickets stored before this migration, as both triggers would have counted them.
INSERT INTO "ticket_rollups" ("day", "created_day", "app", "source_type", "language", "category", "priority", "status", "n", "confidence_sum")
SELECT (COALESCE("submitted_at", "created_at") AT TIME ZONE 'UTC')::date, ("created_at" AT TIME ZONE 'UTC')::date, "app",
       "source_type", "language", "category", "priority", "status", count(*)::int, sum("confidence")
FROM "tickets" WHERE "merged_into" IS NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO "ticket_panel_rollups" ("day", "created_day", "app", "source_type", "language", "category", "priority", "status", "panel", "value", "n")
SELECT (COALESCE(t."submitted_at", t."created_at") AT TIME ZONE 'UTC')::date, (t."created_at" AT TIME ZONE 'UTC')::date,
       t."app", t."source_type", t."language", t."category", t."priority", t."status", p."panel", p."value", count(*)::int
FROM "tickets" t CROSS JOIN LATERAL "ticket_panel_values"(t."category", t."technical_details", t."rating") p
WHERE t."merged_into" IS NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
