-- Dashboard (issue 6): indexes behind the tickets page with 100,000+ tickets (see bench/dashboard.ts).

-- Text search of the tickets page: words of the source id, title and description, matched as prefixes.
-- An expression index, which the Prisma schema cannot express (see the note on model Ticket).
CREATE INDEX "tickets_search_idx" ON "tickets" USING GIN (to_tsvector('simple', "source_id" || ' ' || "title" || ' ' || "description"));

-- "Priority, most severe first" = priority_rank ASC, created_at DESC, id DESC: one index scan, no sort.
CREATE INDEX "tickets_priority_rank_created_at_id_idx" ON "tickets"("priority_rank", "created_at" DESC, "id" DESC);
