-- Exact row count of every table of the application's schema, one row per table, sorted by name.
-- docs/runbook.md runs it against the source and the restored database and compares the two;
-- test/worker/tasks/backup.test.ts does the same after restoring a dump.
SELECT table_name AS "table",
       (xpath('/row/n/text()',
              query_to_xml(format('SELECT count(*) AS n FROM %I.%I', table_schema, table_name), false, true, '')
       ))[1]::text::bigint AS "rows"
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
ORDER BY table_name;
