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
  const { signal } = options;
  // A stop cuts the long poll in progress short instead of waiting it out.
  const interrupt = () => deps.queue.interruptReceives();
  signal?.addEventListener("abort", interrupt, { once: true });
  try {
    for (;;) {
      // On the embedded database a busy queue keeps the loop in promise continuations (PGlite answers
      // without I/O), so signal handlers, timers and sockets would wait for the queue to empty: give
      // them a turn before each batch.
      await yieldToEventLoop();
      if (signal?.aborted) break;
      const messages = await deps.queue.receive({
        maxMessages: batchSize,
        waitTimeMs: options.once ? 0 : (options.waitTimeMs ?? 1000),
        visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
      });
      if (signal?.aborted) {
        await release(deps, messages);
        break;
      }
      if (messages.length === 0) {
        if (options.once) break;
        continue;
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
  } finally {
    signal?.removeEventListener("abort", interrupt);
  }
  return totals;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Received but not started: make them visible again at once for another worker. */
async function release(deps: PipelineDeps, messages: readonly ReceivedMessage[]): Promise<void> {
  for (const message of messages) {
    await deps.queue.changeVisibility(message.receiptHandle, 0).catch(() => undefined);
  }
}
