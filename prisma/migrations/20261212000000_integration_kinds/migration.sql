-- Integrations beyond webhooks (issue 22): a destination has a kind (a signed webhook, an issue tracker, a chat
-- alert) and the kind's settings (repository, team or project, field mapping, creation rules). Existing
-- destinations are webhooks, as they were. A tracker keeps one link per ticket to the issue it made, so later
-- events update that issue, and the tracker's own webhooks find the ticket back from the issue.
ALTER TABLE "integration_destinations"
    ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'webhook',
    ADD COLUMN "settings" JSONB NOT NULL DEFAULT '{}',
    ADD CONSTRAINT "integration_destinations_kind_check" CHECK ("kind" IN ('webhook', 'github', 'linear', 'jira', 'slack'));

CREATE TABLE "integration_links" (
    "destination" TEXT NOT NULL,
    "ticket_id" UUID NOT NULL,
    -- The tracker's own id (GitHub issue number, Linear issue id, Jira issue id) and the key people read.
    "external_id" TEXT NOT NULL,
    "external_key" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    -- The issue's state as last seen on either side (e.g. open/closed), so an echo of our own change is ignored.
    "external_state" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "integration_links_pkey" PRIMARY KEY ("destination", "ticket_id")
);
CREATE UNIQUE INDEX "integration_links_destination_external_id_key" ON "integration_links"("destination", "external_id");
ALTER TABLE "integration_links" ADD CONSTRAINT "integration_links_destination_fkey" FOREIGN KEY ("destination") REFERENCES "integration_destinations"("name") ON DELETE CASCADE ON UPDATE CASCADE;
