import type { ModelPrice, ModelPrices } from "../../../sdk/schemas/configuration.js";
import type { ModelUsage } from "./model-port.js";

/**
 * Cost of model calls from the one price table (`model_prices` in `configurations`; these defaults mirror
 * the migration that seeds it), and the sum of what items cost from their processing logs.
 */
export const DEFAULT_MODEL_PRICES: ModelPrices = {
  "claude-haiku-4-5": {
    inputPerMTok: 1,
    outputPerMTok: 5,
    cacheWritePerMTok: 1.25,
    cacheReadPerMTok: 0.1,
    batchDiscount: 0.5,
  },
  "claude-sonnet-4-5": {
    inputPerMTok: 3,
    outputPerMTok: 15,
    cacheWritePerMTok: 3.75,
    cacheReadPerMTok: 0.3,
    batchDiscount: 0.5,
  },
  "claude-opus-4-5": {
    inputPerMTok: 5,
    outputPerMTok: 25,
    cacheWritePerMTok: 6.25,
    cacheReadPerMTok: 0.5,
    batchDiscount: 0.5,
  },
};

/** The price of `model`: exact id first, then the id without a date suffix ("claude-haiku-4-5-20251001"). */
export function priceFor(model: string, prices: ModelPrices = DEFAULT_MODEL_PRICES): ModelPrice | undefined {
  return prices[model] ?? prices[model.replace(/-\d{8}$/, "")];
}

/** US dollars for `usage`; Message Batches requests get the configured discount on every token price. */
export function costOfUsage(usage: ModelUsage, price: ModelPrice, options: { messageBatch?: boolean } = {}): number {
  const factor = options.messageBatch ? 1 - price.batchDiscount : 1;
  const usd =
    (usage.inputTokens * price.inputPerMTok +
      usage.outputTokens * price.outputPerMTok +
      usage.cacheWriteTokens * price.cacheWritePerMTok +
      usage.cacheReadTokens * price.cacheReadPerMTok) /
    1_000_000;
  return usd * factor;
}

export interface LogLike {
  readonly agent: string;
  readonly tokensIn: number | null;
  readonly tokensOut: number | null;
  readonly result: Record<string, unknown> | unknown;
}

export interface CostSummary {
  /** Log entries that carried token usage. */
  readonly calls: number;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly costUsd: number;
  /** Entries with tokens but no recorded cost (their model had no price): their cost is not in costUsd. */
  readonly unpriced: number;
  readonly byModel: Record<string, { tokensIn: number; tokensOut: number; costUsd: number }>;
}

/**
 * Sums tokens and cost over processing-log entries (the steps of `processing_logs` rows, or `TriageResult.logs`):
 * the Claude crew records `tokensIn`/`tokensOut` and `result.costUsd` / `result.model` per item.
 */
export function sumCostFromLogs(logs: Iterable<LogLike>): CostSummary {
  let calls = 0;
  let tokensIn = 0;
  let tokensOut = 0;
  let costUsd = 0;
  let unpriced = 0;
  const byModel: CostSummary["byModel"] = {};
  for (const log of logs) {
    if (log.tokensIn === null && log.tokensOut === null) continue;
    calls += 1;
    tokensIn += log.tokensIn ?? 0;
    tokensOut += log.tokensOut ?? 0;
    const result = (typeof log.result === "object" && log.result !== null ? log.result : {}) as Record<string, unknown>;
    const cost = typeof result.costUsd === "number" ? result.costUsd : null;
    if (cost === null) unpriced += 1;
    else costUsd += cost;
    const model = typeof result.model === "string" ? result.model : "unknown";
    byModel[model] ??= { tokensIn: 0, tokensOut: 0, costUsd: 0 };
    const entry = byModel[model]!;
    entry.tokensIn += log.tokensIn ?? 0;
    entry.tokensOut += log.tokensOut ?? 0;
    entry.costUsd += cost ?? 0;
  }
  return { calls, tokensIn, tokensOut, costUsd, unpriced, byModel };
}
