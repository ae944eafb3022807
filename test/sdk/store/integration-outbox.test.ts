import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewTicket } from "../../../sdk/ports/tickets.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeNewTicket } from "../../support/factories.js";
import { makeDestination } from "../../support/integration-factories.js";

describe("the integrations outbox", () => {
  let t: TestBackend;
  beforeEach(async () => {
    t = await openTestBackend();
  });
  afterEach(() => t.close());

  const events = async () =>
    (
      await t.db.sql.query<{ type: string; ticket_id: string }>(
        `SELECT type, ticket_id::text FROM integration_events ORDER BY created_at, type`,
      )
    ).rows;
  const tickets = (n: number, app = "com.example.notes"): NewTicket[] =>
    Array.from({ length: n }, () => makeNewTicket({ item: makeItem({ app }) }));

  it("records nothing while no destination is enabled", async () => {
    await t.backend.integrations.saveDestination(makeDestination({ enabled: false }));
    await insertTickets(t.db.sql, tickets(2));
    expect(await events()).toEqual([]);
  });

  it("records a created event per ticket of a batch, with a delivery per destination subscribed to it", async () => {
    await t.backend.integrations.saveDestination(makeDestination({ name: "a" }));
    await t.backend.integrations.saveDestination(makeDestination({ name: "b", events: ["ticket.merged"] }));
    const batch = tickets(3);
    await insertTickets(t.db.sql, batch);
    expect((await events()).map((e) => e.type)).toEqual(["ticket.created", "ticket.created", "ticket.created"]);
    const deliveries = await t.backend.integrations.list({ limit: 10 });
    expect(deliveries.map((d) => d.destination)).toEqual(["a", "a", "a"]);
    expect(deliveries.map((d) => d.ticketId).sort()).toEqual(batch.map((b) => b.id).sort());
  });

  it("records nothing when the ticket change rolls back", async () => {
    await t.backend.integrations.saveDestination(makeDestination());
    await expect(
      t.db.sql.transaction(async (tx) => {
        await insertTickets(tx, tickets(1));
        throw new Error("the batch failed");
      }),
    ).rejects.toThrow("the batch failed");
    expect(await events()).toEqual([]);
  });

  it("records an updated event when a manual edit changes the triage fields", async () => {
    const [ticket] = tickets(1);
    await insertTickets(t.db.sql, [ticket!]);
    await t.backend.integrations.saveDestination(makeDestination());
    await t.backend.tickets.update(ticket!.id, { priority: "Critical" }, { actor: "ops" });
    expect(await events()).toEqual([{ type: "ticket.updated", ticket_id: ticket!.id }]);
  });

  it("records a merged event for the folded ticket and a grouped one for the ticket it joined", async () => {
    const [into, folded] = tickets(2);
    await insertTickets(t.db.sql, [into!, folded!]);
    await t.backend.integrations.saveDestination(makeDestination());
    await t.backend.grouping.merge(into!.id, [folded!.id], { actor: "olivia" });
    expect(await events()).toEqual(
      expect.arrayContaining([
        { type: "ticket.merged", ticket_id: folded!.id },
        { type: "ticket.grouped", ticket_id: into!.id },
      ]),
    );
  });

  it("records nothing for the grouping stage's bookkeeping on a ticket", async () => {
    const [ticket] = tickets(1);
    await insertTickets(t.db.sql, [ticket!]);
    await t.backend.integrations.saveDestination(makeDestination());
    await t.db.sql.query(`UPDATE tickets SET grouped_at = now() WHERE id = $1`, [ticket!.id]);
    expect(await events()).toEqual([]);
  });

  it("leases a claimed delivery: not due again until the lease runs out", async () => {
    await t.backend.integrations.saveDestination(makeDestination());
    await insertTickets(t.db.sql, tickets(1));
    const [first] = await t.backend.integrations.claimDue({ limit: 10, leaseMs: 60_000 });
    expect(first).toMatchObject({ type: "ticket.created", attempts: 1 });
    expect(await t.backend.integrations.claimDue({ limit: 10, leaseMs: 60_000 })).toEqual([]);
  });

  it("gives a destination a ticket's later event only once its earlier one is no longer pending", async () => {
    await t.backend.integrations.saveDestination(makeDestination());
    const [ticket, other] = tickets(2);
    await insertTickets(t.db.sql, [ticket!]);
    await t.backend.tickets.update(ticket!.id, { priority: "Critical" }, { actor: "ops" });
    await insertTickets(t.db.sql, [other!]);
    const claim = () => t.backend.integrations.claimDue({ limit: 10, leaseMs: 60_000 });
    const first = await claim();
    expect(first.map((d) => [d.type, d.data.ticketId]).sort()).toEqual(
      [
        ["ticket.created", ticket!.id],
        ["ticket.created", other!.id],
      ].sort(),
    );
    expect(await claim()).toEqual([]);
    const created = first.find((d) => d.data.ticketId === ticket!.id)!;
    await t.backend.integrations.record(created.id, { kind: "delivered", status: 204 });
    expect((await claim()).map((d) => [d.type, d.data.ticketId])).toEqual([["ticket.updated", ticket!.id]]);
  });

  it("replays failed deliveries: pending again, attempts reset", async () => {
    await t.backend.integrations.saveDestination(makeDestination());
    await insertTickets(t.db.sql, tickets(1));
    const [claimed] = await t.backend.integrations.claimDue({ limit: 10, leaseMs: 0 });
    await t.backend.integrations.record(claimed!.id, { kind: "failed", status: 404, error: "HTTP 404", retryAt: null });
    expect((await t.backend.integrations.list({ status: "failed", limit: 10 })).map((d) => d.id)).toEqual([
      claimed!.id,
    ]);
    expect(await t.backend.integrations.replay({ failed: true })).toEqual({ replayed: [claimed!.id], notFound: [] });
    expect(await t.backend.integrations.list({ status: "pending", limit: 10 })).toMatchObject([{ attempts: 0 }]);
  });

  it("keeps a destination's kind and settings", async () => {
    const github = makeDestination({
      name: "gh",
      kind: "github",
      url: "https://api.github.com",
      settings: { repository: "acme/notes", labels: { Bug: ["bug"] } },
    });
    await t.backend.integrations.saveDestination(github);
    expect(await t.backend.integrations.destinations()).toEqual([github]);
  });

  it("links a ticket to its tracker issue, found from either side, and updates the link in place", async () => {
    await t.backend.integrations.saveDestination(makeDestination({ name: "gh", kind: "github" }));
    const [ticket] = tickets(1);
    await insertTickets(t.db.sql, [ticket!]);
    const link = {
      destination: "gh",
      ticketId: ticket!.id,
      externalId: "42",
      externalKey: "#42",
      url: "https://github.com/acme/notes/issues/42",
      externalState: "open",
    };
    await t.backend.integrations.saveLink(link);
    await t.backend.integrations.saveLink({ ...link, externalState: "closed" });
    expect(await t.backend.integrations.linkOf("gh", ticket!.id)).toEqual({ ...link, externalState: "closed" });
    expect(await t.backend.integrations.linkByExternalId("gh", "42")).toEqual({ ...link, externalState: "closed" });
    expect(await t.backend.integrations.linkByExternalId("gh", "43")).toBeNull();
  });
});
