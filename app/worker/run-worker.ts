import type { TriageConfiguration } from "../../sdk/ports/agents.js";
import type { ReceivedMessage } from "../../sdk/ports/queue.js";
import { type BatchOutcome, type PipelineDeps, releaseNow, type TriagedBatch, triageBatch } from "./pipeline.js";

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
 * Receives and processes batches until the queue is empty (`once`) or `signal` aborts. Two batches overlap: one
 * commits while the next is triaged, and the one after that is received behind the commit. The commit is asked for
 * first and the triage second, with no wait between them: a database server then works on the commit while the
 * crew runs here, and on the embedded database (whose statements run in this thread) the triage has reached the
 * crew's thread before the commit takes this thread. One commit at a time; at most three batches held.
 */
export async function runWorker(deps: PipelineDeps, options: WorkerOptions = {}): Promise<WorkerTotals> {
  const totals: WorkerTotals = { received: 0, created: 0, duplicates: 0, failed: 0, lateWrites: 0, batches: 0 };
  const batchSize = options.batchSize ?? 100;
  const visibility = options.visibilityTimeoutSeconds ?? deps.visibilityTimeoutSeconds ?? 300;
  const batchDeps = { ...deps, visibilityTimeoutSeconds: visibility };
  const { signal } = options;
  // The configuration is read with each receive: both are asked for before the next commit, which on the embedded
  // database's one session would otherwise hold them, and the triage behind them, until it ends.
  const receive = (wait: "long poll" | "no wait" = "long poll"): Promise<Received> => {
    const received = receiveNow(wait);
    // Awaited later, after the batch in hand: a failure meanwhile (the connection lost) is handled there, and
    // must not end the process first as an unhandled rejection.
    received.catch(() => undefined);
    return received;
  };
  const receiveNow = async (wait: "long poll" | "no wait"): Promise<Received> => {
    const [messages, config] = await Promise.all([
      deps.queue.receive({
        maxMessages: batchSize,
        waitTimeMs: options.once || wait === "no wait" ? 0 : (options.waitTimeMs ?? 1000),
        visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
      }),
      deps.configuration.load(),
    ]);
    return { messages, config };
  };
  const commit = async ({ batch, messages }: Held): Promise<void> => {
    const outcome = await batch.commit();
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
  let next: Promise<Received> | null = null;
  let held: Held | null = null;
  let failed = false;
  try {
    // On the embedded database a busy queue keeps the loop in promise continuations (PGlite answers
    // without I/O), so signal handlers, timers and sockets would wait for the queue to empty: give
    // them a turn before each batch.
    await yieldToEventLoop();
    next = signal?.aborted ? null : receive();
    while (next) {
      const { messages, config } = await next;
      next = null;
      if (signal?.aborted) {
        await releaseNow(deps.queue, messages);
        break;
      }
      if (messages.length === 0) {
        if (held) await commit(held);
        held = null;
        if (options.once) break;
        await yieldToEventLoop();
        next = signal?.aborted ? null : receive();
        continue;
      }
      const committing: Promise<void> = held ? commit(held) : Promise.resolve();
      const triaging: Promise<Held> = triageBatch(batchDeps, messages, config).then((batch) => ({ batch, messages }));
      held = null;
      // Without waiting: a long poll left open beside the batch in hand could take, after a stop, the messages a
      // grace-period release hands back (SQS keeps polling server-side when the client gives up). An empty answer
      // sends the loop to a long poll once the batch in hand is committed.
      if (!signal?.aborted) next = receive("no wait");
      const [committed, triaged] = await Promise.allSettled([committing, triaging]);
      if (triaged.status === "fulfilled") held = triaged.value;
      if (committed.status === "rejected") throw committed.reason;
      if (triaged.status === "rejected") throw triaged.reason;
      await yieldToEventLoop();
    }
    // The batch in hand finishes, also on a stop.
    if (held) await commit(held);
    held = null;
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    signal?.removeEventListener("abort", interrupt);
    // What a failure left triaged or received but not committed: visible again at once for another worker.
    if (failed) await held?.batch.abandon();
    if (next) await releaseNow(deps.queue, (await next.catch(() => null))?.messages ?? []);
  }
  return totals;
}

/** A triaged batch waiting for its commit. */
interface Held {
  batch: TriagedBatch;
  messages: readonly ReceivedMessage[];
}

interface Received {
  messages: ReceivedMessage[];
  config: TriageConfiguration;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
