import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  changeTicket,
  resolveTicketId,
  reviewMatching,
  reviewTickets,
  ticketsByIds,
} from "../../../app/tickets/tickets-service.js";
import { ConflictError, NotFoundError, ValidationError } from "../../../sdk/errors.js";
import type { NewTicket } from "../../../sdk/ports/tickets.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeNewTicket } from "../../support/factories.js";

const operator = { actor: "alice", reason: "checked by hand" };

describe("tickets service (the dashboard's and the CLI's use cases)", () => {
  let fixture: TestBackend;

  beforeAll(async () => {
    fixture = await openTestBackend();
  });
  afterAll(() => fixture?.close());

  async function store(...tickets: NewTicket[]) {
    await insertTickets(fixture.db.sql, tickets);
    return tickets;
  }

  it("changes a ticket named by a unique prefix, recording actor and reason", async () => {
    const [ticket] = await store(makeNewTicket());
    await changeTicket(fixture.backend, ticket!.id.slice(0, 8), { priority: "Critical" }, operator);
    const detail = await fixture.backend.tickets.get(ticket!.id);
    expect(detail?.history.at(-1)).toMatchObject({
      actor: "alice",
      reason: "checked by hand",
      before: { priority: "High" },
      after: { priority: "Critical" },
    });
  });

  it("refuses a change against a stale version with a conflict", async () => {
    const [ticket] = await store(makeNewTicket());
    await changeTicket(fixture.backend, ticket!.id, { priority: "Low" }, operator);
    await expect(
      changeTicket(fixture.backend, ticket!.id, { priority: "Medium" }, { ...operator, expectedVersion: 1 }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("names the candidates of an ambiguous prefix", async () => {
    await store(
      makeNewTicket({ id: "0badc0de-0000-4000-8000-000000000001" }),
      makeNewTicket({ id: "0badc0de-1111-4000-8000-000000000002" }),
    );
    const failure = resolveTicketId(fixture.backend, "0badc0de");
    await expect(failure).rejects.toBeInstanceOf(ValidationError);
    await expect(resolveTicketId(fixture.backend, "0badc0de")).rejects.toThrow(
      /ambiguous.*0badc0de-0000-4000-8000-000000000001, 0badc0de-1111-4000-8000-000000000002/,
    );
  });

  it("says not found, with a hint, for a prefix no ticket has", async () => {
    const failure = resolveTicketId(fixture.backend, "deadbeef");
    await expect(failure).rejects.toBeInstanceOf(NotFoundError);
    await expect(resolveTicketId(fixture.backend, "deadbeef")).rejects.toMatchObject({
      hint: expect.stringMatching(/tickets list/),
    });
  });

  it("approves the tickets given, each with the operator and reason in its history", async () => {
    const tickets = await store(makeNewTicket(), makeNewTicket());
    const result = await reviewTickets(
      fixture.backend,
      tickets.map((t) => ({ id: t.id })),
      "approve",
      operator,
    );
    expect(result).toEqual({ action: "approve", matched: 2, updated: 2, failed: [], more: false });
    for (const t of tickets) {
      const detail = await fixture.backend.tickets.get(t.id);
      expect(detail).toMatchObject({ status: "approved" });
      expect(detail?.history.at(-1)).toMatchObject({ actor: "alice", reason: "checked by hand" });
    }
  });

  it("fails only the ticket changed since the version the operator saw", async () => {
    const [seen, changed] = await ticketsByIds(
      fixture.backend,
      (await store(makeNewTicket(), makeNewTicket())).map((t) => t.id),
    );
    await changeTicket(fixture.backend, changed!.id, { priority: "Low" }, { actor: "bob" });
    const result = await reviewTickets(
      fixture.backend,
      [seen!, changed!].map((t) => ({ id: t.id, expectedVersion: t.version })),
      "reject",
      operator,
    );
    expect(result).toMatchObject({
      updated: 1,
      failed: [{ id: changed!.id, message: expect.stringMatching(/changed/) }],
    });
    expect((await fixture.backend.tickets.get(changed!.id))?.status).toBe("needs_review");
  });

  it("rejects every ticket a filter matches", async () => {
    const item = makeItem({ sourceId: "bulkfilterreject" });
    const [ticket] = await store(makeNewTicket({ item }));
    const result = await reviewMatching(fixture.backend, { search: "bulkfilterreject" }, "reject", operator);
    expect(result).toMatchObject({ action: "reject", matched: 1, updated: 1, more: false });
    expect((await fixture.backend.tickets.get(ticket!.id))?.status).toBe("rejected");
  });
});
