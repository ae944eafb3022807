import type { TriageResult } from "../../../sdk/ports/agents.js";
import type { TriageConfiguration } from "../../../sdk/schemas/configuration.js";
import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import { decidePromptCaching } from "./caching.js";
import { DEFAULT_MODEL_PRICES } from "./cost.js";
import {
  type BuildMeta,
  type ClaudeAgentsOptions,
  ClaudeCrewError,
  createClaudeAgents,
  DEFAULT_BATCH_SIZE,
  describeFailure,
  type ItemCall,
  itemKey,
  MAX_BATCH_SIZE,
  type Prepared,
  prepare,
  type SettledResult,
  settle,
  splitInteger,
} from "./crew.js";
import { type BatchModelClient, type BatchRequest, ModelCallError, type ModelUsage, ZERO_USAGE } from "./model-port.js";
import { buildUserMessage, renderItem, SYSTEM_PROMPT } from "./prompts.js";
import { sleep as defaultSleep } from "./retry.js";
import { ANSWER_JSON_SCHEMA, parseAnswer } from "./schemas.js";
import { estimateTokens } from "./tokens.js";

/**
 * Message Batches mode for bulk backfills: every group of items becomes one request of a single Message
 * Batch (half price on Anthropic's list, results within 24 hours), polled until it has ended. Items whose
 * batch request failed, or whose answer was unusable, get the synchronous crew (with its retries); items
 * still failing are reported (`triageWithMessageBatches`) or thrown for the DLQ (`createClaudeBatchAgents`).
 * Not for the live pipeline: a message's visibility timeout is minutes, a batch can take hours.
 */
export interface MessageBatchOptions extends ClaudeAgentsOptions {
  readonly batchClient: BatchModelClient;
  /** Between status polls (default 30 s). */
  readonly pollIntervalMs?: number;
  /** Give up waiting after this long (default 24 h, the API's own expiry). */
  readonly maxWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onStatus?: (status: { batchId: string; processing: number; succeeded: number; errored: number }) => void;
}

export interface BatchRun {
  readonly batchId: string;
  readonly settled: SettledResult[];
  /** Items answered by the batch itself (the rest went through the synchronous crew). */
  readonly answeredByBatch: number;
}

export async function triageWithMessageBatches(
  items: readonly FeedbackItem[],
  config: TriageConfiguration,
  options: MessageBatchOptions,
): Promise<BatchRun> {
  const batchSize = Math.max(1, Math.min(MAX_BATCH_SIZE, options.batchSize ?? DEFAULT_BATCH_SIZE));
  const model = options.model ?? config.agents.claudeModel;
  const meta: BuildMeta = {
    model,
    config,
    prices: options.prices ?? config.modelPrices ?? DEFAULT_MODEL_PRICES,
    messageBatch: true,
  };
  const perItemOutput = options.maxOutputTokensPerItem ?? 150;
  const wait = options.sleep ?? ((ms: number) => defaultSleep(ms));
  const prepared = items.map((item) => prepare(item, config, options.redact ?? true));
  const groups: Prepared[][] = [];
  for (let i = 0; i < prepared.length; i += batchSize) groups.push(prepared.slice(i, i + batchSize));
  const caching = decidePromptCaching({
    model,
    prefixTokens: estimateTokens(SYSTEM_PROMPT),
    expectedRequests: groups.length,
  });

  const calls: ItemCall[][] = groups.map((group) =>
    group.map(() => ({
      answer: null,
      usage: ZERO_USAGE,
      attempts: 1,
      requestItems: group.length,
      error: null,
      durationMs: 0,
      cached: caching.enabled,
    })),
  );
  const requests: BatchRequest[] = groups.map((group, g) => ({
    customId: `g${g}`,
    request: {
      model,
      system: SYSTEM_PROMPT,
      user: buildUserMessage(group.map((prep, j) => ({ ...prep.prompt, id: j + 1 }))),
      maxTokens: 200 + perItemOutput * group.length,
      outputSchema: ANSWER_JSON_SCHEMA,
      cachePrefix: caching.enabled,
    },
  }));

  const started = Date.now();
  const batchId = await options.batchClient.submitBatch(requests);
  for (;;) {
    const status = await options.batchClient.batchStatus(batchId);
    options.onStatus?.({
      batchId,
      processing: status.counts.processing,
      succeeded: status.counts.succeeded,
      errored: status.counts.errored,
    });
    if (status.ended) break;
    if (Date.now() - started > (options.maxWaitMs ?? 24 * 3_600_000)) {
      throw new ModelCallError("timeout", `Message Batch ${batchId} did not end within ${options.maxWaitMs} ms`);
    }
    await wait(options.pollIntervalMs ?? 30_000);
  }

  const charge = (g: number, usage: ModelUsage) => {
    const weights = groups[g]!.map(
      (prep, j) => renderItem({ ...prep.prompt, id: j + 1 }).length + SYSTEM_PROMPT.length / groups[g]!.length,
    );
    const parts = (n: number) => splitInteger(n, weights);
    const input = parts(usage.inputTokens);
    const output = parts(usage.outputTokens);
    const read = parts(usage.cacheReadTokens);
    const write = parts(usage.cacheWriteTokens);
    calls[g]!.forEach((call, j) => {
      call.usage = {
        inputTokens: input[j]!,
        outputTokens: output[j]!,
        cacheReadTokens: read[j]!,
        cacheWriteTokens: write[j]!,
      };
    });
  };
  const durationMs = Date.now() - started;
  for await (const outcome of options.batchClient.batchResults(batchId)) {
    const g = Number(outcome.customId.slice(1));
    if (!Number.isInteger(g) || !groups[g]) continue;
    if (!outcome.ok) {
      charge(g, outcome.error.usage);
      for (const call of calls[g]!) call.error = describeFailure(outcome.error);
      continue;
    }
    charge(g, outcome.response.usage);
    try {
      const parsed = parseAnswer(outcome.response.json);
      calls[g]!.forEach((call, j) => {
        call.answer = parsed.items.get(j + 1) ?? null;
        call.durationMs = durationMs / groups[g]!.length;
        if (!call.answer) call.error = "malformed: no valid entry for this item";
      });
    } catch (error) {
      for (const call of calls[g]!) call.error = `malformed: ${describeFailure(error)}`;
    }
  }

  const settled: SettledResult[] = [];
  const retry: { index: number; item: FeedbackItem }[] = [];
  let answeredByBatch = 0;
  groups.forEach((group, g) => {
    group.forEach((prep, j) => {
      const call = calls[g]![j]!;
      const index = settled.length;
      if (call.answer) {
        answeredByBatch += 1;
        settled.push(settle(prep, call, meta));
      } else {
        settled.push({ ok: false, error: call.error ?? "no result in the batch" });
        retry.push({ index, item: prep.item });
      }
    });
  });
  if (retry.length > 0) {
    const sync = createClaudeAgents(options);
    const again = await sync.triageSettled(
      retry.map((r) => r.item),
      config,
    );
    again.forEach((s, k) => {
      settled[retry[k]!.index] = s;
    });
  }
  return { batchId, settled, answeredByBatch };
}

/**
 * A TriageAgents over Message Batches (for backfills): throws for failed items, like the synchronous crew,
 * keeping the others' results so that a caller's item-by-item retry does not submit them again.
 */
export function createClaudeBatchAgents(options: MessageBatchOptions) {
  const held = new Map<string, TriageResult>();
  return {
    name: "claude-batch",
    async triage(items: readonly FeedbackItem[], config: TriageConfiguration): Promise<TriageResult[]> {
      const results: (TriageResult | undefined)[] = items.map((item) => {
        const result = held.get(itemKey(item));
        held.delete(itemKey(item));
        return result;
      });
      const todo = items.map((item, index) => ({ item, index })).filter(({ index }) => !results[index]);
      const failures: ClaudeCrewError["failures"] = [];
      if (todo.length > 0) {
        const run = await triageWithMessageBatches(
          todo.map((t) => t.item),
          config,
          options,
        );
        run.settled.forEach((s, k) => {
          const { item, index } = todo[k]!;
          if (s.ok) results[index] = s.result;
          else failures.push({ sourceType: item.sourceType, sourceId: item.sourceId, error: s.error });
        });
      }
      if (failures.length > 0) {
        items.forEach((item, index) => {
          const result = results[index];
          if (result) held.set(itemKey(item), result);
        });
        throw new ClaudeCrewError(failures, items.length);
      }
      return results as TriageResult[];
    },
  };
}
