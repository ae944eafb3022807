import type { Backend } from "../../sdk/backend.js";
import { NotFoundError } from "../../sdk/errors.js";
import type { Ticket, TicketDetail, TicketQueryInput } from "../../sdk/schemas/ticket.js";

export async function listTickets(
  backend: Backend,
  query: TicketQueryInput,
): Promise<{ items: Ticket[]; total: number }> {
  return backend.tickets.list(query);
}

export async function showTicket(backend: Backend, id: string): Promise<TicketDetail> {
  const ticket = await backend.tickets.get(id);
  if (!ticket) {
    throw new NotFoundError(`No ticket with id ${id}`, {
      hint: "List tickets with 'feedback-cli tickets list' and copy an id from there.",
    });
  }
  return ticket;
}
