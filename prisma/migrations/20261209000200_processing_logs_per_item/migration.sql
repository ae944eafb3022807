-- Throughput (issue 20): one processing-log row per item write, its agent steps in order as a JSONB array, instead of
-- one row per step (each with three index entries and a foreign-key check: the log rows cost more than the ticket).
-- Existing rows are folded: the steps one write stored (same ticket, source key, message and transaction time) become
-- one row, in id order, so every step keeps its agent, action, result, confidence, duration and tokens.
CREATE TABLE "processing_logs_per_item" (
    "id" BIGSERIAL NOT NULL,
    "ticket_id" UUID,
    "source_type" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "message_id" TEXT,
    "steps" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "processing_logs_per_item_pkey" PRIMARY KEY ("id")
);

INSERT INTO "processing_logs_per_item" ("ticket_id", "source_type", "source_id", "message_id", "steps", "created_at")
SELECT "ticket_id", "source_type", "source_id", "message_id",
       jsonb_agg(jsonb_build_object('agent', "agent", 'action', "action", 'result', "result",
                                    'confidence', "confidence", 'durationMs', "duration_ms",
                                    'tokensIn', "tokens_in", 'tokensOut', "tokens_out") ORDER BY "id"),
       "created_at"
FROM "processing_logs"
GROUP BY "ticket_id", "source_type", "source_id", "message_id", "created_at"
ORDER BY min("id");

DROP TABLE "processing_logs";
ALTER TABLE "processing_logs_per_item" RENAME TO "processing_logs";
ALTER SEQUENCE "processing_logs_per_item_id_seq" RENAME TO "processing_logs_id_seq";
ALTER TABLE "processing_logs" RENAME CONSTRAINT "processing_logs_per_item_pkey" TO "processing_logs_pkey";
ALTER TABLE "processing_logs" ADD CONSTRAINT "processing_logs_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Only the indexes a query reads. The ticket's logs (`tickets show`, the dashboard's ticket page) and the cascade
-- from a deleted ticket find rows by ticket_id. The hybrid crew's split reads each item's latest routed row, and model
-- usage the rows with a model call: partial, so a crew that never routes or calls a model leaves them empty. No index
-- on the source key alone: privacy erasure's lookup ORs it with a regex over the steps, which scans the table anyway.
CREATE INDEX "processing_logs_ticket_id_idx" ON "processing_logs"("ticket_id");
CREATE INDEX "processing_logs_router_idx" ON "processing_logs" ("source_type", "source_id", "id" DESC) WHERE "steps" @> '[{"agent": "router"}]';
CREATE INDEX "processing_logs_model_calls_idx" ON "processing_logs" ("source_type", "source_id") WHERE "steps" @? '$[*] ? (@.tokensIn != null || @.tokensOut != null)';
