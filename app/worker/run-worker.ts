import type { ReceivedMessage } from "../../sdk/ports/queue.js";
import { type BatchOutcome, type PipelineDeps, type TriagedBatch, triageBatch } from "./pipeline.js";

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

/**
 * Receives and processes batches until the queue is empty (`once`) or `signal` aborts. Two batches overlap: while
 * one commits, the next is triaged (the crew in its thread or awaiting its model, the database writing), and that
 * one's messages are received before the commit is queued, so that the embedded database's one session does not
 * make the crew wait. At most one batch commits at a time; at most three are held.
 */
export async function runWorker(deps: PipelineDeps, options: WorkerOptions = {}): Promise<WorkerTotals> {
  const totals: WorkerTotals = { received: 0, created: 0, duplicates: 0, failed: 0, lateWrites: 0, batches: 0 };
  const batchSize = options.batchSize ?? 100;
  const visibility = options.visibilityTimeoutSeconds ?? deps.visibilityTimeoutSeconds ?? 300;
  const batchDeps = { ...deps, visibilityTimeoutSeconds: visibility };
  const { signal } = options;
  const receive = () =>
    deps.queue.receive({
      maxMessages: batchSize,
      waitTimeMs: options.once ? 0 : (options.waitTimeMs ?? 1000),
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
    });
  const counted = (messages: readonly ReceivedMessage[]) => (outcome: BatchOutcome) => {
    totals.received += messages.length;
    totals.created += outcome.created;
    totals.duplicates += outcome.duplicates;
    totals.failed += outcome.failed.length;
    totals.lateWrites += outcome.lateWrites;
    totals.batches += 1;
    options.onBatch?.(outcome);
  };
  // A stop cuts the long poll in progress short instead of waiting it out.
  const interrupt = () => deps.queue.interruptReceives();
  signal?.addEventListener("abort", interrupt, { once: true });
  const commits = new CommitChain();
  let next: Promise<ReceivedMessage[]> | null = null;
  let waiting: TriagedBatch | null = null;
  try {
    // On the embedded database a busy queue keeps the loop in promise continuations (PGlite answers
    // without I/O), so signal handlers, timers and sockets would wait for the queue to empty: give
    // them a turn before each batch.
    await yieldToEventLoop();
    next = signal?.aborted ? null : receive();
    while (next) {
      const messages = await next;
      next = null;
      if (signal?.aborted) {
        await release(deps, messages);
        break;
      }
      if (messages.length === 0) {
        if (options.once) break;
        await commits.settled();
        await yieldToEventLoop();
        next = signal?.aborted ? null : receive();
        continue;
      }
      const batch = await triageBatch(batchDeps, messages);
      waiting = batch;
      await yieldToEventLoop();
      if (!signal?.aborted) next = receive();
      await commits.settled();
      waiting = null;
      commits.add(() => batch.commit().then(counted(messages)));
    }
    await commits.settled();
  } finally {
    signal?.removeEventListener("abort", interrupt);
    await commits.drain();
    // What a failure left received or triaged but not committing: visible again at once for another worker.
    await waiting?.abandon();
    if (next) await release(deps, await next.catch(() => []));
  }
  return totals;
}

/**
 * The batch commits in flight (one at a time): a failure is kept until the loop next waits on them, so that it
 * stops the loop there instead of being an unhandled rejection in between.
 */
class CommitChain {
  private current: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;

  add(commit: () => Promise<void>): void {
    this.current = commit().catch((error: unknown) => {
      this.failure ??= { error };
    });
  }

  /** Waits for the commit in flight; throws its failure. */
  async settled(): Promise<void> {
    await this.current;
    if (this.failure) throw this.failure.error;
  }

  /** Waits for the commit in flight without throwing (the loop is stopping already). */
  async drain(): Promise<void> {
    await this.current;
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Received but not started: make them visible again at once for another worker. */
async function release(deps: PipelineDeps, messages: readonly ReceivedMessage[]): Promise<void> {
  for (const message of messages) {
    await deps.queue.changeVisibility(message.receiptHandle, 0).catch(() => undefined);
  }
}
