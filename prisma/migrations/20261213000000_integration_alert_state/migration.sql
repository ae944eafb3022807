-- Chat alerts paced across workers (issue 22): a Slack destination posts at most once per interval however many
-- workers run, and a dead-letter queue's growth is alerted once. What the workers share lives with the destination:
-- when each kind of alert may go next (an ISO time per key) and the DLQ depth the last alert counted from.
ALTER TABLE "integration_destinations" ADD COLUMN "alert_state" JSONB NOT NULL DEFAULT '{}';
