import type { Backend } from "../../sdk/backend.js";
import { NotFoundError } from "../../sdk/errors.js";
import type { TicketPage } from "../../sdk/ports/tickets.js";
import type { Ticket, TicketDetail, TicketPatch, TicketQueryInput } from "../../sdk/schemas/ticket.js";

/** At most this many tickets change in one bulk action (each is its own transaction with history). */
export const BULK_LIMIT = 1000;

export const STATUS_OF_ACTION = { approve: "approved", reject: "rejected" } as const;
export type ReviewAction = keyof typeof STATUS_OF_ACTION;

export interface BulkResult {
  action: ReviewAction;
  matched: number;
  updated: number;
  failed: { id: string; message: string }[];
  /** More tickets match than one action handles (BULK_LIMIT): run it again. */
  more: boolean;
}

export interface ChangeMeta {
  actor: string;
  reason?: string;
  expectedVersion?: number;
}

/** One index-backed query for every front end: the same filter finds the same tickets everywhere. */
export async function listTickets(backend: Backend, query: TicketQueryInput): Promise<TicketPage> {
  return backend.tickets.list(query);
}

export async function showTicket(backend: Backend, id: string, hint: string): Promise<TicketDetail> {
  const ticket = await backend.tickets.get(id);
  if (!ticket) throw new NotFoundError(`No ticket with id ${id}`, { hint });
  return ticket;
}

/** A manual change: one transaction, recorded in the ticket's history with who and why. */
export async function changeTicket(
  backend: Backend,
  id: string,
  patch: TicketPatch,
  meta: ChangeMeta,
): Promise<Ticket> {
  return backend.tickets.update(id, patch, {
    actor: meta.actor,
    reason: meta.reason || undefined,
    expectedVersion: meta.expectedVersion,
  });
}

/** Approves or rejects every ticket the query matches (oldest first, at most BULK_LIMIT), each on its own. */
export async function reviewMatching(
  backend: Backend,
  query: TicketQueryInput,
  action: ReviewAction,
  meta: { actor: string; reason?: string },
): Promise<BulkResult> {
  const { ids, more } = await backend.tickets.matchingIds(query, BULK_LIMIT);
  const status = STATUS_OF_ACTION[action];
  const failed: BulkResult["failed"] = [];
  let updated = 0;
  for (const id of ids) {
    try {
      await backend.tickets.update(id, { status }, { actor: meta.actor, reason: meta.reason || `bulk ${action}` });
      updated += 1;
    } catch (error) {
      failed.push({ id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { action, matched: ids.length, updated, failed, more };
}
