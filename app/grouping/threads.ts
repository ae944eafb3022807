import { setTimeout } from "node:timers/promises";
import { FeedbackTriageError } from "../../sdk/errors.js";
import type { LogFn } from "../../sdk/log.js";
import type { TicketGrouping } from "../../sdk/ports/grouping.js";

/** Replies attached per query; the pass repeats until none is left. */
const BATCH = 200;
/** Tickets written this long before the attacher started are still looked at (a reply a moment before start). */
const LOOKBACK_MS = 60_000;

/**
 * Folds each e-mail reply's ticket into the ticket of its thread (the earliest message of it that has one), as a
 * merge by the actor "threading" with the linking Message-ID as the reason, so the thread's history and reach say
 * it. Independent of duplicate grouping (which may be off). Only tickets written since `since`: a reply an operator
 * took out of its thread (`tickets unmerge`) is not put back. Returns how many were attached.
 */
export async function attachThreadReplies(grouping: TicketGrouping, since: Date, log?: LogFn): Promise<number> {
  let attached = 0;
  const refused = new Set<string>();
  for (;;) {
    const replies = (await grouping.threadReplies(since, BATCH + refused.size)).filter((r) => !refused.has(r.ticketId));
    if (replies.length === 0) return attached;
    for (const reply of replies) {
      try {
        await grouping.merge(reply.threadTicketId, [reply.ticketId], {
          actor: "threading",
          reason: `reply in the e-mail thread of <${reply.messageId}>`,
        });
        attached++;
      } catch (error) {
        // A ticket merged or deleted meanwhile: left as it is, said once.
        if (!(error instanceof FeedbackTriageError)) throw error;
        refused.add(reply.ticketId);
        log?.("warn", "thread_reply_not_attached", { ticketId: reply.ticketId, reason: error.message });
      }
    }
  }
}

/**
 * Attaches replies every `everyMs` while the worker runs, and once more when stopped after work that went well (so
 * `ingest --wait` and `worker --once` finish with their threads whole). Passes never overlap. A failing periodic pass
 * is retried by the next one, silently: only the last pass's failure is logged (when the database went away, the
 * command reports that itself).
 */
export function startThreadAttacher(
  grouping: TicketGrouping,
  options: { everyMs?: number; log?: LogFn; now?: () => Date } = {},
): { stop: (finalPass?: boolean) => Promise<number> } {
  const since = new Date((options.now?.() ?? new Date()).getTime() - LOOKBACK_MS);
  const stopped = new AbortController();
  let total = 0;
  const loop = (async () => {
    while (!stopped.signal.aborted) {
      await setTimeout(options.everyMs ?? 2_000, undefined, { signal: stopped.signal }).catch(() => undefined);
      if (stopped.signal.aborted) break;
      total += await attachThreadReplies(grouping, since, options.log).catch(() => 0);
    }
  })();
  return {
    stop: async (finalPass = true) => {
      stopped.abort();
      await loop;
      if (!finalPass) return total;
      try {
        total += await attachThreadReplies(grouping, since, options.log);
      } catch (error) {
        options.log?.("warn", "thread_pass_failed", { error: (error as Error).message });
      }
      return total;
    },
  };
}
