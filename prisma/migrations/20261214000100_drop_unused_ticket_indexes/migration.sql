-- Indexes no query reads (issue #20; evidence in BENCHMARKS.md, "Ticket indexes the queries use").
-- tickets.content_hash is never filtered on: duplicates are found by (source_type, source_id) and grouping.
DROP INDEX IF EXISTS "tickets_content_hash_idx";
-- The priority filter reads priority_rank (sdk/store/ticket-sql.ts), served by the rank indexes kept beside it.
DROP INDEX IF EXISTS "tickets_priority_created_at_idx";
