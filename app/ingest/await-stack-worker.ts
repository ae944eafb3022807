import { setTimeout } from "node:timers/promises";
import type { Backend } from "../../sdk/backend.js";
import type { TicketCounts } from "../../sdk/ports/tickets.js";
import type { IngestSummary } from "./ingest-summary.js";

export interface AwaitStackOptions {
  /** The ingest that feeds the queue, resolving to how many items it enqueued. */
  until: Promise<number>;
  signal?: AbortSignal;
  /** Between two looks at the queue; SQS's counts are approximate and lag, so an empty queue is read twice. */
  pollMs?: number;
  onProgress?: (ticketsSoFar: number) => void;
}

/**
 * `ingest --wait` against a deployed stack: the stack's worker makes the tickets, so this waits until its queue is
 * empty (seen twice in a row) and reports what changed meanwhile: the new tickets by priority and category, and the
 * messages the DLQ gained. Tickets other sources created in that time count too; duplicates are the enqueued items
 * that made neither a ticket nor a dead letter. Stops waiting (the stack goes on) when `signal` aborts.
 */
export async function awaitStackWorker(
  backend: Backend,
  options: AwaitStackOptions,
): Promise<NonNullable<IngestSummary["processed"]>> {
  const [before, dlqBefore] = await Promise.all([backend.tickets.counts(), backend.dlq.depth()]);
  const enqueued = await options.until;
  const pollMs = options.pollMs ?? 5_000;
  let emptyLooks = 0;
  while (!options.signal?.aborted && emptyLooks < 2) {
    const depth = await backend.queue.depth();
    emptyLooks = depth.visible + depth.inFlight + depth.delayed === 0 ? emptyLooks + 1 : 0;
    options.onProgress?.((await backend.tickets.counts()).total - before.total);
    if (emptyLooks < 2) await setTimeout(pollMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
  const [after, dlqAfter] = await Promise.all([backend.tickets.counts(), backend.dlq.depth()]);
  const ticketsCreated = Math.max(0, after.total - before.total);
  const failed = Math.max(0, dlqAfter - dlqBefore);
  return {
    ticketsCreated,
    duplicates: options.signal?.aborted ? 0 : Math.max(0, enqueued - ticketsCreated - failed),
    failed,
    byPriority: gained(before.byPriority, after.byPriority),
    byCategory: gained(before.byCategory, after.byCategory),
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
