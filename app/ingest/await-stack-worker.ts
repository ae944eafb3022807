import { setTimeout } from "node:timers/promises";
import type { Backend } from "../../sdk/backend.js";
import type { TicketCounts } from "../../sdk/ports/tickets.js";
import type { IngestSummary } from "./ingest-summary.js";

/** What the stack held before the ingest began: the tickets by priority and category, and the DLQ's depth. */
export interface StackBaseline {
  tickets: TicketCounts;
  deadLetters: number;
}

export interface AwaitStackOptions {
  /** The ingest that feeds the queue, resolving to how many items it enqueued. */
  until: Promise<number>;
  signal?: AbortSignal;
  /** Between two looks at the queue; SQS's counts are approximate and lag, so an empty queue is read twice. */
  pollMs?: number;
  /** Tickets made so far, read on each look only when something shows them. */
  onProgress?: (ticketsSoFar: number) => void;
}

/**
 * Read before the ingest enqueues anything: the stack's worker may turn the first items into tickets before a
 * baseline read afterwards would see the table, and those tickets would go uncounted.
 */
export async function readStackBaseline(backend: Backend): Promise<StackBaseline> {
  const [tickets, deadLetters] = await Promise.all([backend.tickets.counts(), backend.dlq.depth()]);
  return { tickets, deadLetters };
}

/**
 * `ingest --wait` against a deployed stack: the stack's worker makes the tickets, so this waits until its queue is
 * empty (seen twice in a row) and reports what changed since `before`: the new tickets by priority and category,
 * and the messages the DLQ gained. Tickets other sources created in that time count too; duplicates are the
 * enqueued items that made neither a ticket nor a dead letter. Stops waiting (the stack goes on) when `signal`
 * aborts.
 */
export async function awaitStackWorker(
  backend: Backend,
  before: StackBaseline,
  options: AwaitStackOptions,
): Promise<NonNullable<IngestSummary["processed"]>> {
  const enqueued = await options.until;
  const pollMs = options.pollMs ?? 5_000;
  let emptyLooks = 0;
  while (!options.signal?.aborted && emptyLooks < 2) {
    const depth = await backend.queue.depth();
    emptyLooks = depth.visible + depth.inFlight + depth.delayed === 0 ? emptyLooks + 1 : 0;
    if (options.onProgress) options.onProgress((await backend.tickets.counts()).total - before.tickets.total);
    if (emptyLooks < 2) await setTimeout(pollMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
  const after = await readStackBaseline(backend);
  const ticketsCreated = Math.max(0, after.tickets.total - before.tickets.total);
  const failed = Math.max(0, after.deadLetters - before.deadLetters);
  return {
    ticketsCreated,
    duplicates: options.signal?.aborted ? 0 : Math.max(0, enqueued - ticketsCreated - failed),
    failed,
    byPriority: gained(before.tickets.byPriority, after.tickets.byPriority),
    byCategory: gained(before.tickets.byCategory, after.tickets.byCategory),
    threadReplies: 0,
  };
}

function gained(before: TicketCounts["byPriority"], after: TicketCounts["byPriority"]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [key, n] of Object.entries(after)) {
    const more = n - (before[key] ?? 0);
    if (more > 0) result[key] = more;
  }
  return result;
}
