import type { Backend } from "../../sdk/backend.js";
import { ValidationError } from "../../sdk/errors.js";
import type { MergeSuggestion } from "../../sdk/schemas/grouping.js";
import type { TicketDetail } from "../../sdk/schemas/ticket.js";
import { resolveTicketId } from "../tickets/tickets-service.js";

export interface MergeMetaInput {
  actor: string;
  reason?: string;
}

/** At most this many tickets fold into one in one command. */
export const MERGE_LIMIT = 1000;

/**
 * Folds tickets (ids or unique prefixes) into `into`, in one transaction: their items join its reach, each side's
 * history records it. Grouping never crosses apps: tickets of another app are refused.
 */
export async function mergeTickets(
  backend: Backend,
  into: string,
  ids: readonly string[],
  meta: MergeMetaInput,
): Promise<TicketDetail> {
  if (ids.length > MERGE_LIMIT)
    throw new ValidationError(`At most ${MERGE_LIMIT} tickets merge at once, not ${ids.length}`);
  const target = await resolveTicketId(backend, into);
  const sources = [...new Set(await Promise.all(ids.map((id) => resolveTicketId(backend, id))))];
  await backend.grouping.merge(target, sources, { actor: meta.actor, reason: meta.reason || "manual merge" });
  return (await backend.tickets.get(target))!;
}

/** Takes one item (source id, or sourceType:sourceId) out of a ticket's group, back to its own ticket. */
export async function unmergeItem(
  backend: Backend,
  ticket: string,
  item: string,
  meta: MergeMetaInput,
): Promise<{ ticket: TicketDetail; restored: TicketDetail }> {
  const id = await resolveTicketId(backend, ticket);
  const restored = await backend.grouping.unmerge(id, item, {
    actor: meta.actor,
    reason: meta.reason || "manual unmerge",
  });
  return { ticket: (await backend.tickets.get(id))!, restored: (await backend.tickets.get(restored))! };
}

export async function listSuggestions(
  backend: Backend,
  status: MergeSuggestion["status"] = "pending",
): Promise<MergeSuggestion[]> {
  return backend.grouping.suggestions(status);
}

/** Accepts (merges) or dismisses each suggestion on its own; a failure does not stop the others. */
export async function decideSuggestions(
  backend: Backend,
  ids: readonly string[],
  decision: "accepted" | "dismissed",
  meta: MergeMetaInput,
): Promise<{ decided: MergeSuggestion[]; failed: { id: string; message: string }[] }> {
  const decided: MergeSuggestion[] = [];
  const failed: { id: string; message: string }[] = [];
  for (const id of ids) {
    try {
      decided.push(await backend.grouping.decideSuggestion(id, decision, { actor: meta.actor, reason: meta.reason }));
    } catch (error) {
      failed.push({ id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { decided, failed };
}
