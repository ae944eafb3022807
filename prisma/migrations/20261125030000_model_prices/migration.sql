-- Prices of the Claude models in US dollars per million tokens (Anthropic list prices), the one table the
-- Claude crew computes the cost of each item from. batchDiscount is the fraction taken off for Message
-- Batches. Change them with: feedback-cli config set model_prices '<json>'
INSERT INTO "configurations" ("key", "value", "description") VALUES
('model_prices', '{
  "claude-haiku-4-5": {"inputPerMTok": 1, "outputPerMTok": 5, "cacheWritePerMTok": 1.25, "cacheReadPerMTok": 0.1, "batchDiscount": 0.5},
  "claude-haiku-4-5-20251001": {"inputPerMTok": 1, "outputPerMTok": 5, "cacheWritePerMTok": 1.25, "cacheReadPerMTok": 0.1, "batchDiscount": 0.5},
  "claude-sonnet-4-5": {"inputPerMTok": 3, "outputPerMTok": 15, "cacheWritePerMTok": 3.75, "cacheReadPerMTok": 0.3, "batchDiscount": 0.5},
  "claude-sonnet-4-5-20250929": {"inputPerMTok": 3, "outputPerMTok": 15, "cacheWritePerMTok": 3.75, "cacheReadPerMTok": 0.3, "batchDiscount": 0.5},
  "claude-opus-4-5": {"inputPerMTok": 5, "outputPerMTok": 25, "cacheWritePerMTok": 6.25, "cacheReadPerMTok": 0.5, "batchDiscount": 0.5}
}', 'Model prices in USD per million tokens (input, output, cache write, cache read) and the Message Batches discount, used to record the cost of each item.')
ON CONFLICT ("key") DO NOTHING;
