-- Integrations outbox (issue 22): every ticket change a destination may care about (created, updated, merged,
-- grouped) becomes one event, written by statement-level triggers on tickets, so in the same transaction as the
-- change whatever path made it (the batch writer, a manual edit, a merge, the grouping stage). One multi-row insert
-- per statement, and none at all while no destination is enabled: the hot write path (issue 20) pays one EXISTS.
-- Each event gets one delivery per enabled destination that subscribed to its type; the delivery loop claims due
-- deliveries, POSTs them signed (Standard Webhooks, the event id as webhook-id) and records the outcome.
CREATE TABLE "integration_destinations" (
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    -- Where the signing secret is read ("env:NAME" or "file:/path"); never the secret itself.
    "secret_ref" TEXT NOT NULL,
    "events" TEXT[] NOT NULL DEFAULT ARRAY['ticket.created', 'ticket.updated', 'ticket.merged', 'ticket.grouped'],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "integration_destinations_pkey" PRIMARY KEY ("name")
);

-- No foreign key to tickets: the event records what happened even if the ticket is later erased.
CREATE TABLE "integration_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "type" TEXT NOT NULL,
    "ticket_id" UUID NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "integration_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "integration_events_ticket_id_idx" ON "integration_events"("ticket_id");

CREATE TABLE "integration_deliveries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "event_id" UUID NOT NULL,
    "destination" TEXT NOT NULL,
    -- pending (due at next_attempt_at), delivered, failed (gave up; replay makes it pending again)
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_status" INTEGER,
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "integration_deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "integration_deliveries_status_check" CHECK ("status" IN ('pending', 'delivered', 'failed'))
);
CREATE UNIQUE INDEX "integration_deliveries_event_id_destination_key" ON "integration_deliveries"("event_id", "destination");
-- Partial (Prisma cannot declare it): what the delivery loop claims, soonest first.
CREATE INDEX "integration_deliveries_due_idx" ON "integration_deliveries"("next_attempt_at") WHERE "status" = 'pending';
CREATE INDEX "integration_deliveries_status_created_at_idx" ON "integration_deliveries"("status", "created_at");
ALTER TABLE "integration_deliveries" ADD CONSTRAINT "integration_deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "integration_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "integration_deliveries" ADD CONSTRAINT "integration_deliveries_destination_fkey" FOREIGN KEY ("destination") REFERENCES "integration_destinations"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- What an event carries about its ticket: the triage facts, not the feedback's text (which may name a person).
-- Column by column: a transition table's rows are records, not of the tickets type.
CREATE FUNCTION "integration_ticket_data"(id UUID, title TEXT, category TEXT, priority TEXT, status TEXT, reach INTEGER,
    app TEXT, source_type TEXT, merged_into UUID, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ)
RETURNS JSONB LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object(
    'ticketId', id, 'title', title, 'category', category, 'priority', priority, 'status', status, 'reach', reach,
    'app', app, 'sourceType', source_type, 'mergedInto', merged_into, 'createdAt', created_at, 'updatedAt', updated_at)
$$;

-- Events of one statement (type, ticket row) into the outbox, with a delivery per subscribed destination.
CREATE FUNCTION "integration_outbox_on_insert"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "integration_destinations" WHERE "enabled") THEN RETURN NULL; END IF;
  WITH ev AS (
    INSERT INTO "integration_events" ("type", "ticket_id", "data")
    SELECT 'ticket.created', n."id", "integration_ticket_data"(
      n."id", n."title", n."category", n."priority", n."status", n."reach", n."app", n."source_type", n."merged_into", n."created_at", n."updated_at")
    FROM new_rows n WHERE n."merged_into" IS NULL
    RETURNING "id", "type"
  )
  INSERT INTO "integration_deliveries" ("event_id", "destination")
  SELECT ev."id", d."name" FROM ev JOIN "integration_destinations" d ON d."enabled" AND ev."type" = ANY (d."events");
  RETURN NULL;
END $$;

-- merged: folded into another ticket; grouped: items added (reach grew); updated: triage fields changed. One event
-- per row and statement, the first that applies; the grouping stage's bookkeeping (grouped_at) makes none.
CREATE FUNCTION "integration_outbox_on_update"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "integration_destinations" WHERE "enabled") THEN RETURN NULL; END IF;
  WITH changed AS (
    SELECT CASE
             WHEN o."merged_into" IS NULL AND n."merged_into" IS NOT NULL THEN 'ticket.merged'
             WHEN n."merged_into" IS NULL AND n."reach" > o."reach" THEN 'ticket.grouped'
             WHEN n."merged_into" IS NULL AND (n."title", n."description", n."category", n."priority", n."status")
                  IS DISTINCT FROM (o."title", o."description", o."category", o."priority", o."status") THEN 'ticket.updated'
           END AS "type", n.*
    FROM new_rows n JOIN old_rows o ON o."id" = n."id"
  ), ev AS (
    INSERT INTO "integration_events" ("type", "ticket_id", "data")
    SELECT c."type", c."id", "integration_ticket_data"(
      c."id", c."title", c."category", c."priority", c."status", c."reach", c."app", c."source_type", c."merged_into", c."created_at", c."updated_at")
    FROM changed c WHERE c."type" IS NOT NULL
    RETURNING "id", "type"
  )
  INSERT INTO "integration_deliveries" ("event_id", "destination")
  SELECT ev."id", d."name" FROM ev JOIN "integration_destinations" d ON d."enabled" AND ev."type" = ANY (d."events");
  RETURN NULL;
END $$;

CREATE TRIGGER "tickets_integration_outbox_insert" AFTER INSERT ON "tickets"
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "integration_outbox_on_insert"();
CREATE TRIGGER "tickets_integration_outbox_update" AFTER UPDATE ON "tickets"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "integration_outbox_on_update"();
