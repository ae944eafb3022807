/** The Claude crew: see crew.ts for the design, prompts.ts for what is sent, batches.ts for backfills. */
export { type AnthropicClientOptions, AnthropicModelClient } from "./anthropic-client.js";
export { createClaudeBatchAgents, type MessageBatchOptions, triageWithMessageBatches } from "./batches.js";
export { decidePromptCaching, minCacheableTokens } from "./caching.js";
export { type CostSummary, costOfUsage, DEFAULT_MODEL_PRICES, priceFor, sumCostFromLogs } from "./cost.js";
export {
  type ClaudeAgents,
  type ClaudeAgentsOptions,
  ClaudeCrewError,
  createClaudeAgents,
  DEFAULT_BATCH_SIZE,
} from "./crew.js";
export { screenForInjection } from "./injection.js";
export type { BatchModelClient, ModelClient, ModelRequest, ModelResponse, ModelUsage } from "./model-port.js";
export { ModelCallError } from "./model-port.js";
export { estimateTokens } from "./tokens.js";
