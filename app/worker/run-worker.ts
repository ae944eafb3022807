import type { ReceivedMessage } from "../../sdk/ports/queue.js";
import { type BatchOutcome, type PipelineDeps, processBatch } from "./pipeline.js";

export interface WorkerOptions {
  batchSize?: number;
  /** Long-poll wait per receive. */
  waitTimeMs?: number;
  /** Stop when the queue has nothing visible (after in-flight batches finish). */
  once?: boolean;
  /** Aborting stops receiving; the batch in hand finishes (or is released) before the loop returns. */
  signal?: AbortSignal;
  visibilityTimeoutSeconds?: number;
  onBatch?: (outcome: BatchOutcome) => void;
}

export interface WorkerTotals {
  received: number;
  created: number;
  duplicates: number;
  failed: number;
  lateWrites: number;
  batches: number;
}

export async function runWorker(deps: PipelineDeps, options: WorkerOptions = {}): Promise<WorkerTotals> {
  const totals: WorkerTotals = { received: 0, created: 0, duplicates: 0, failed: 0, lateWrites: 0, batches: 0 };
  const batchSize = options.batchSize ?? 100;
  const visibility = options.visibilityTimeoutSeconds ?? deps.visibilityTimeoutSeconds ?? 300;
  while (!options.signal?.aborted) {
    const messages = await deps.queue.receive({
      maxMessages: batchSize,
      waitTimeMs: options.once ? 0 : (options.waitTimeMs ?? 1000),
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
    });
    if (messages.length === 0) {
      if (options.once) break;
      continue;
    }
    if (options.signal?.aborted) {
      await release(deps, messages);
      break;
    }
    const outcome = await processBatch({ ...deps, visibilityTimeoutSeconds: visibility }, messages);
    totals.received += messages.length;
    totals.created += outcome.created;
    totals.duplicates += outcome.duplicates;
    totals.failed += outcome.failed.length;
    totals.lateWrites += outcome.lateWrites;
    totals.batches += 1;
    options.onBatch?.(outcome);
  }
  return totals;
}

/** Received but not started: make them visible again at once for another worker. */
async function release(deps: PipelineDeps, messages: readonly ReceivedMessage[]): Promise<void> {
  for (const message of messages) {
    await deps.queue.changeVisibility(message.receiptHandle, 0).catch(() => undefined);
  }
}
