-- feedback-triage initial schema: tickets, processing_logs, configurations (the RDS tables of the
-- architecture) plus what the local slice needs: raw feedback items, ticket history, the embedded
-- queue and event routing, and local metrics.

CREATE TABLE "feedback_items" (
    "id" UUID NOT NULL,
    "source_type" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "channel" TEXT,
    "content_hash" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "feedback_items_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "feedback_items_source_type_source_id_key" ON "feedback_items"("source_type", "source_id");

CREATE TABLE "tickets" (
    "id" UUID NOT NULL,
    "source_type" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "channel" TEXT,
    "title" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    -- Severity order for sorting (Critical = 0 ... Low = 3), derived so it can never disagree.
    "priority_rank" SMALLINT GENERATED ALWAYS AS (CASE "priority" WHEN 'Critical' THEN 0 WHEN 'High' THEN 1 WHEN 'Medium' THEN 2 ELSE 3 END) STORED,
    "confidence" DOUBLE PRECISION NOT NULL,
    "technical_details" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL,
    "quality_score" INTEGER,
    "review_reasons" JSONB NOT NULL DEFAULT '[]',
    "content_hash" TEXT NOT NULL,
    "feedback_item_id" UUID,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tickets_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tickets_title_length" CHECK (char_length("title") BETWEEN 5 AND 200),
    CONSTRAINT "tickets_confidence_range" CHECK ("confidence" >= 0 AND "confidence" <= 1),
    CONSTRAINT "tickets_category_check" CHECK ("category" IN ('Bug', 'Feature Request', 'Praise', 'Complaint', 'Spam', 'Failed')),
    CONSTRAINT "tickets_priority_check" CHECK ("priority" IN ('Critical', 'High', 'Medium', 'Low')),
    CONSTRAINT "tickets_status_check" CHECK ("status" IN ('open', 'needs_review', 'approved', 'rejected', 'closed')),
    CONSTRAINT "tickets_source_type_check" CHECK ("source_type" IN ('app_store_review', 'email', 'webhook'))
);
CREATE UNIQUE INDEX "tickets_source_type_source_id_key" ON "tickets"("source_type", "source_id");
CREATE INDEX "tickets_priority_created_at_idx" ON "tickets"("priority", "created_at");
CREATE INDEX "tickets_priority_rank_created_at_idx" ON "tickets"("priority_rank", "created_at");
CREATE INDEX "tickets_category_created_at_idx" ON "tickets"("category", "created_at");
CREATE INDEX "tickets_status_created_at_idx" ON "tickets"("status", "created_at");
CREATE INDEX "tickets_created_at_idx" ON "tickets"("created_at");
CREATE INDEX "tickets_content_hash_idx" ON "tickets"("content_hash");
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_feedback_item_id_fkey" FOREIGN KEY ("feedback_item_id") REFERENCES "feedback_items"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "ticket_history" (
    "id" BIGSERIAL NOT NULL,
    "ticket_id" UUID NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "before" JSONB NOT NULL,
    "after" JSONB NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ticket_history_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ticket_history_ticket_id_changed_at_idx" ON "ticket_history"("ticket_id", "changed_at");
ALTER TABLE "ticket_history" ADD CONSTRAINT "ticket_history_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "processing_logs" (
    "id" BIGSERIAL NOT NULL,
    "ticket_id" UUID,
    "source_type" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "message_id" TEXT,
    "agent" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "result" JSONB NOT NULL DEFAULT '{}',
    "confidence" DOUBLE PRECISION,
    "duration_ms" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "tokens_in" INTEGER,
    "tokens_out" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "processing_logs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "processing_logs_ticket_id_idx" ON "processing_logs"("ticket_id");
CREATE INDEX "processing_logs_source_type_source_id_idx" ON "processing_logs"("source_type", "source_id");
ALTER TABLE "processing_logs" ADD CONSTRAINT "processing_logs_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "configurations" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "description" TEXT,
    "updated_by" TEXT NOT NULL DEFAULT 'migration',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "configurations_pkey" PRIMARY KEY ("key")
);

-- Embedded queue with SQS semantics. A DLQ is just another queue; redrive moves the row, keeping its id.
CREATE TABLE "queues" (
    "name" TEXT NOT NULL,
    "visibility_timeout_s" INTEGER NOT NULL DEFAULT 300,
    "max_receive_count" INTEGER NOT NULL DEFAULT 5,
    "retention_s" INTEGER NOT NULL DEFAULT 1209600,
    "dead_letter_queue" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "queues_pkey" PRIMARY KEY ("name")
);

CREATE TABLE "queue_messages" (
    "id" UUID NOT NULL,
    "queue" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "visible_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "receive_count" INTEGER NOT NULL DEFAULT 0,
    "receipt_handle" UUID,
    "first_received_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "source_queue" TEXT,
    "dead_lettered_at" TIMESTAMPTZ(3),
    CONSTRAINT "queue_messages_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "queue_messages_queue_visible_at_idx" ON "queue_messages"("queue", "visible_at");
CREATE UNIQUE INDEX "queue_messages_receipt_handle_key" ON "queue_messages"("receipt_handle");
ALTER TABLE "queue_messages" ADD CONSTRAINT "queue_messages_queue_fkey" FOREIGN KEY ("queue") REFERENCES "queues"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- Embedded EventBridge: rules evaluated on publish, delivering to a queue in the same transaction.
CREATE TABLE "event_rules" (
    "name" TEXT NOT NULL,
    "bus" TEXT NOT NULL DEFAULT 'feedback',
    "pattern" JSONB NOT NULL,
    "target_queue" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "event_rules_pkey" PRIMARY KEY ("name")
);
ALTER TABLE "event_rules" ADD CONSTRAINT "event_rules_target_queue_fkey" FOREIGN KEY ("target_queue") REFERENCES "queues"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- Local stand-in for the DynamoDB metrics table (TTL 90 days through expires_at).
CREATE TABLE "metrics" (
    "id" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "unit" TEXT NOT NULL DEFAULT 'Count',
    "dimensions" JSONB NOT NULL DEFAULT '{}',
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "metrics_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "metrics_name_recorded_at_idx" ON "metrics"("name", "recorded_at");

-- Defaults: the ingestion queue and its DLQ, the routing rule, and the triage configuration.
INSERT INTO "queues" ("name", "visibility_timeout_s", "max_receive_count", "retention_s", "dead_letter_queue")
VALUES ('feedback-dlq', 300, 5, 1209600, NULL),
       ('feedback', 300, 5, 1209600, 'feedback-dlq');

INSERT INTO "event_rules" ("name", "bus", "pattern", "target_queue")
VALUES ('feedback-received-to-queue', 'feedback', '{"source":[{"prefix":"feedback."}],"detail-type":["FeedbackReceived"]}', 'feedback');

INSERT INTO "configurations" ("key", "value", "description") VALUES
('confidence_threshold', '0.7', 'Tickets classified below this confidence get status needs_review.'),
('priority_rules', '{
  "defaults": {"Bug": "Medium", "Feature Request": "Low", "Praise": "Low", "Complaint": "Medium", "Spam": "Low", "Failed": "Medium"},
  "rules": [
    {"name": "bug-critical", "category": "Bug", "priority": "Critical", "keywords": ["data loss", "lost all", "lost my", "deleted all", "security", "hacked", "breach", "leak", "payment", "charged", "billing", "crash on start", "crashes on start", "crashes on launch", "crash on launch", "crashes immediately", "won''t open", "wont open", "can''t open", "cannot open", "unusable", "completely broken", "can''t log in", "cannot log in", "can''t login", "cannot login"]},
    {"name": "bug-high", "category": "Bug", "priority": "High", "keywords": ["crash", "crashes", "crashing", "freezes", "not working", "doesn''t work", "broken", "fails", "failed", "error"]},
    {"name": "bug-low", "category": "Bug", "priority": "Low", "keywords": ["typo", "cosmetic", "misaligned", "alignment", "color", "font", "icon"]},
    {"name": "feature-medium", "category": "Feature Request", "priority": "Medium", "keywords": ["integration", "integrate", "api", "offline", "sync", "collaboration", "share with", "team", "many users", "everyone wants", "colleagues"]},
    {"name": "complaint-high", "category": "Complaint", "priority": "High", "keywords": ["refund", "billing", "double charge", "charged twice", "overcharged", "money back", "cancel subscription"]}
  ]
}', 'Per-category default priority plus keyword rules, checked in order; the first matching rule wins.'),
('agents', '{"mode": "offline", "claudeModel": "claude-haiku-4-5"}', 'Which agent crew runs and the model ids it uses.');
