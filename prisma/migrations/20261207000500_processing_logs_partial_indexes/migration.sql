-- `feedback-cli status` and the dashboard's Operations page ask for model usage and the hybrid crew's routing on
-- every call. These partial indexes hold only the rows those questions read (model calls, router entries), so
-- the answer no longer reads every processing log, and a crew that never calls a model leaves them empty.
CREATE INDEX "processing_logs_router_idx" ON "processing_logs" ("source_type", "source_id", "id" DESC) WHERE "agent" = 'router';
CREATE INDEX "processing_logs_model_calls_idx" ON "processing_logs" ("source_type", "source_id") WHERE "tokens_in" IS NOT NULL OR "tokens_out" IS NOT NULL;
