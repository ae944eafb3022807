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

/** A periodic pass looks again at tickets this long before the previous pass began (transactions still open then). */
const OVERLAP_MS = 60_000;
/** Every so often a pass looks at everything since the start: a reply that arrived before its thread's first message. */
const FULL_PASS_EVERY_MS = 5 * 60_000;

/**
 * Attaches replies every `everyMs` while the worker runs, and once more when stopped after work that went well (so
 * `ingest --wait` and `worker --once` finish with their threads whole). Passes never overlap. A periodic pass reads
 * only the tickets written since the previous one (less an overlap), so a long run does not rescan all its mail
 * every few seconds; every `fullEveryMs`, and at the final pass, it reads all since the start. A failing periodic
 * pass is retried by the next one, silently: only the last pass's failure is logged (when the database went away,
 * the command reports that itself).
 */
export function startThreadAttacher(
  grouping: TicketGrouping,
  options: { everyMs?: number; fullEveryMs?: number; log?: LogFn; now?: () => Date } = {},
): { stop: (finalPass?: boolean) => Promise<number> } {
  const now = () => (options.now?.() ?? new Date()).getTime();
  const startedAt = now();
  const since = new Date(startedAt - LOOKBACK_MS);
  const stopped = new AbortController();
  let total = 0;
  let lastFull = startedAt;
  let previousPass = startedAt;
  const loop = (async () => {
    while (!stopped.signal.aborted) {
      await setTimeout(options.everyMs ?? 2_000, undefined, { signal: stopped.signal }).catch(() => undefined);
      if (stopped.signal.aborted) break;
      const passStart = now();
      const full = passStart - lastFull >= (options.fullEveryMs ?? FULL_PASS_EVERY_MS);
      const from = full ? since : new Date(Math.max(since.getTime(), previousPass - OVERLAP_MS));
      const attached = await attachThreadReplies(grouping, from, options.log).catch(() => null);
      if (attached === null) continue; // retried over the same window by the next pass
      total += attached;
      previousPass = passStart;
      if (full) lastFull = passStart;
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
