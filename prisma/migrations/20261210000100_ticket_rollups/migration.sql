-- Ticket rollups (issue 20): `status`, the overview and the trend charts read counts from here instead of scanning
-- every ticket. One row per (feedback day, app, source type, language, category, priority, status) with the number
-- of listed tickets (merged ones left out, as lists and counts leave them out) and their confidence sum. Kept
-- current by statement-level triggers on tickets: one grouped upsert per statement, whatever its row count, and an
-- update that changes none of the keys (grouping, reach, history) writes nothing here. Groups are upserted in key
-- order, so concurrent writers lock shared rows in one order and cannot deadlock on them.
CREATE TABLE "ticket_rollups" (
    "day" DATE NOT NULL,
    "app" TEXT,
    "source_type" TEXT NOT NULL,
    "language" TEXT,
    "category" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,
    "confidence_sum" DOUBLE PRECISION NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX "ticket_rollups_key" ON "ticket_rollups"
    ("day", "app", "source_type", "language", "category", "priority", "status") NULLS NOT DISTINCT;

-- Each trigger adds signed counts (+1 per new row, -1 per old row) grouped by key; groups that net to nothing are
-- skipped. (Transition tables are visible only inside their trigger's function.)
-- Inserted rows count +1, deleted rows -1 (the trigger's argument); both name their transition table changed_rows.
CREATE FUNCTION "ticket_rollups_on_write"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ticket_rollups" AS r ("day", "app", "source_type", "language", "category", "priority", "status", "n", "confidence_sum")
  SELECT (COALESCE(c."submitted_at", c."created_at") AT TIME ZONE 'UTC')::date, c."app", c."source_type", c."language",
         c."category", c."priority", c."status", sum(c."sign")::int, sum(c."sign" * c."confidence")
  FROM (SELECT n."submitted_at", n."created_at", n."app", n."source_type", n."language", n."category", n."priority", n."status", n."confidence", TG_ARGV[0]::int AS "sign" FROM changed_rows n WHERE n."merged_into" IS NULL) c
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  HAVING sum(c."sign") <> 0 OR abs(sum(c."sign" * c."confidence")) > 1e-9
  ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ("day", "app", "source_type", "language", "category", "priority", "status")
  DO UPDATE SET "n" = r."n" + EXCLUDED."n", "confidence_sum" = r."confidence_sum" + EXCLUDED."confidence_sum";
  RETURN NULL;
END $$;

-- Only the rows whose keys, confidence or merged state changed.
CREATE FUNCTION "ticket_rollups_on_update"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ticket_rollups" AS r ("day", "app", "source_type", "language", "category", "priority", "status", "n", "confidence_sum")
  SELECT (COALESCE(c."submitted_at", c."created_at") AT TIME ZONE 'UTC')::date, c."app", c."source_type", c."language",
         c."category", c."priority", c."status", sum(c."sign")::int, sum(c."sign" * c."confidence")
  FROM (
    SELECT o."submitted_at", o."created_at", o."app", o."source_type", o."language", o."category", o."priority", o."status", o."confidence", -1 AS "sign"
    FROM old_rows o JOIN new_rows n ON n."id" = o."id"
    WHERE o."merged_into" IS NULL AND (n."merged_into", n."submitted_at", n."created_at", n."app", n."source_type", n."language", n."category",
              n."priority", n."status", n."confidence")
             IS DISTINCT FROM
             (o."merged_into", o."submitted_at", o."created_at", o."app", o."source_type", o."language", o."category",
              o."priority", o."status", o."confidence")
    UNION ALL
    SELECT n."submitted_at", n."created_at", n."app", n."source_type", n."language", n."category", n."priority", n."status", n."confidence", 1
    FROM new_rows n JOIN old_rows o ON o."id" = n."id"
    WHERE n."merged_into" IS NULL AND (n."merged_into", n."submitted_at", n."created_at", n."app", n."source_type", n."language", n."category",
              n."priority", n."status", n."confidence")
             IS DISTINCT FROM
             (o."merged_into", o."submitted_at", o."created_at", o."app", o."source_type", o."language", o."category",
              o."priority", o."status", o."confidence")
  ) c
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  HAVING sum(c."sign") <> 0 OR abs(sum(c."sign" * c."confidence")) > 1e-9
  ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ("day", "app", "source_type", "language", "category", "priority", "status")
  DO UPDATE SET "n" = r."n" + EXCLUDED."n", "confidence_sum" = r."confidence_sum" + EXCLUDED."confidence_sum";
  RETURN NULL;
END $$;

CREATE TRIGGER "tickets_rollups_insert" AFTER INSERT ON "tickets"
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "ticket_rollups_on_write"('1');
CREATE TRIGGER "tickets_rollups_update" AFTER UPDATE ON "tickets"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "ticket_rollups_on_update"();
CREATE TRIGGER "tickets_rollups_delete" AFTER DELETE ON "tickets"
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "ticket_rollups_on_write"('-1');

-- Backfill: the tickets stored before this migration.
INSERT INTO "ticket_rollups" ("day", "app", "source_type", "language", "category", "priority", "status", "n", "confidence_sum")
SELECT (COALESCE("submitted_at", "created_at") AT TIME ZONE 'UTC')::date, "app", "source_type", "language", "category",
       "priority", "status", count(*)::int, sum("confidence")
FROM "tickets" WHERE "merged_into" IS NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7;
