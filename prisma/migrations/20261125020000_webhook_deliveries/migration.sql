-- Webhook deliveries already accepted, so that a redelivered webhook (same sender delivery id) makes no
-- second feedback item. The ticket store's unique (source_type, source_id) key protects as well; this
-- table stops the duplicate before it is published. In AWS the same role is a DynamoDB conditional put.
CREATE TABLE "webhook_deliveries" (
    "channel" TEXT NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "source_id" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("channel", "delivery_id")
);
CREATE INDEX "webhook_deliveries_received_at_idx" ON "webhook_deliveries"("received_at");
