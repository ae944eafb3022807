import type { Backend } from "../../sdk/backend.js";
import { NotFoundError, ValidationError } from "../../sdk/errors.js";
import type { TicketPage } from "../../sdk/ports/tickets.js";
import { uniqueId } from "../../sdk/schemas/id-prefix.js";
import type { Ticket, TicketDetail, TicketPatch, TicketQueryInput } from "../../sdk/schemas/ticket.js";
import type { BulkResult } from "./review-result.js";

export type { BulkResult };

/** At most this many tickets change in one bulk action (each is its own transaction with history). */
export const BULK_LIMIT = 1000;

export const STATUS_OF_ACTION = { approve: "approved", reject: "rejected" } as const;
export type ReviewAction = keyof typeof STATUS_OF_ACTION;

export interface ChangeMeta {
  actor: string;
  reason?: string;
  expectedVersion?: number;
}

const TICKET_IDS = { noun: "ticket", listCommand: "feedback-cli tickets list" };

/** One index-backed query for every front end: the same filter finds the same tickets everywhere. */
export async function listTickets(backend: Backend, query: TicketQueryInput): Promise<TicketPage> {
  return backend.tickets.list(query);
}

/** The ticket id a typed id names: the whole id, or a unique prefix of it (>= 6 hex digits). */
export async function resolveTicketId(backend: Backend, given: string): Promise<string> {
  return uniqueId(TICKET_IDS, given, await backend.tickets.resolveId(given));
}

/** `id` may be a unique prefix; `hint` says where to find ids when there is no such ticket. */
export async function showTicket(backend: Backend, id: string, hint: string): Promise<TicketDetail> {
  const ticket = await backend.tickets.get(await resolveTicketId(backend, id).catch(notFoundWith(hint)));
  if (!ticket) throw new NotFoundError(`No ticket with id ${id}`, { hint });
  return ticket;
}

const notFoundWith = (hint: string) => (error: unknown) => {
  if (error instanceof NotFoundError) throw new NotFoundError(error.message, { cause: error, hint });
  throw error;
};

/** The tickets typed ids (or unique prefixes) name, in the order given, each once. */
export async function ticketsByIds(backend: Backend, given: readonly string[]): Promise<TicketDetail[]> {
  const ids = [...new Set(await Promise.all(given.map((id) => resolveTicketId(backend, id))))];
  const tickets = await Promise.all(ids.map((id) => backend.tickets.get(id)));
  return tickets.map((ticket, i) => {
    if (!ticket) throw new NotFoundError(`No ticket with id ${ids[i]}`);
    return ticket;
  });
}

/** What a bulk action on a query would touch: how many match and the first few (oldest first, as applied). */
export async function previewMatching(
  backend: Backend,
  query: TicketQueryInput,
  sample = 3,
): Promise<{ total: number; totalCapped: boolean; sample: Ticket[]; limit: number }> {
  const page = await backend.tickets.list({
    ...query,
    limit: sample,
    offset: 0,
    sortBy: "createdAt",
    sortOrder: "asc",
  });
  return { total: page.total, totalCapped: page.totalCapped, sample: page.items, limit: BULK_LIMIT };
}

/** A manual change: one transaction, recorded in the ticket's history with who and why. */
export async function changeTicket(
  backend: Backend,
  id: string,
  patch: TicketPatch,
  meta: ChangeMeta,
): Promise<Ticket> {
  return backend.tickets.update(await resolveTicketId(backend, id), patch, {
    actor: meta.actor,
    reason: meta.reason || undefined,
    expectedVersion: meta.expectedVersion,
  });
}

/** Approves or rejects each ticket on its own (a failure does not stop the others), at most BULK_LIMIT. */
async function review(
  backend: Backend,
  targets: readonly { id: string; expectedVersion?: number }[],
  action: ReviewAction,
  meta: { actor: string; reason?: string },
): Promise<Omit<BulkResult, "more">> {
  if (targets.length > BULK_LIMIT) {
    throw new ValidationError(`At most ${BULK_LIMIT} tickets change in one action, not ${targets.length}`, {
      hint: "Split the ids into several runs.",
    });
  }
  const status = STATUS_OF_ACTION[action];
  const failed: BulkResult["failed"] = [];
  let updated = 0;
  for (const { id, expectedVersion } of targets) {
    try {
      await backend.tickets.update(
        id,
        { status },
        { actor: meta.actor, reason: meta.reason || `bulk ${action}`, expectedVersion },
      );
      updated += 1;
    } catch (error) {
      failed.push({ id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { action, matched: targets.length, updated, failed };
}

/**
 * Approves or rejects the given tickets; with `expectedVersion` (the version an operator saw) a ticket
 * changed meanwhile fails with a conflict instead of being overwritten.
 */
export async function reviewTickets(
  backend: Backend,
  targets: readonly { id: string; expectedVersion?: number }[],
  action: ReviewAction,
  meta: { actor: string; reason?: string },
): Promise<BulkResult> {
  return { ...(await review(backend, targets, action, meta)), more: false };
}

/** Approves or rejects every ticket the query matches (oldest first, at most BULK_LIMIT), each on its own. */
export async function reviewMatching(
  backend: Backend,
  query: TicketQueryInput,
  action: ReviewAction,
  meta: { actor: string; reason?: string },
): Promise<BulkResult> {
  const { ids, more } = await backend.tickets.matchingIds(query, BULK_LIMIT);
  const result = await review(
    backend,
    ids.map((id) => ({ id })),
    action,
    meta,
  );
  return { ...result, more };
}
