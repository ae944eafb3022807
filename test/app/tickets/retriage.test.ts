import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOfflineAgents } from "../../../app/agents/offline/index.js";
import { RETRIAGE_ACTOR, retriageTickets } from "../../../app/tickets/retriage.js";
import type { TriageResult } from "../../../sdk/ports/agents.js";
import type { NewTicket } from "../../../sdk/ports/tickets.js";
import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem } from "../../support/factories.js";

const FEATURE_REQUEST = "Please add an export to PDF, it would be great if reports could be shared.";
const crew = createOfflineAgents();

/** A source id of letters only, so searching for it finds this ticket alone (search matches word prefixes). */
const uniqueSourceId = () =>
  `review-${Array.from(randomUUID().replaceAll("-", ""), (c) => String.fromCharCode(97 + (Number.parseInt(c, 16) % 26))).join("")}`;

/** A ticket as an older crew might have written it: a clear feature request filed as a Complaint. */
function staleTicket(text = FEATURE_REQUEST): NewTicket {
  const item = makeItem({ text, sourceId: uniqueSourceId() });
  return {
    id: randomUUID(),
    item,
    title: "Complaint about the app",
    description: text,
    category: "Complaint",
    priority: "Medium",
    confidence: 0.95,
    technicalDetails: {},
    status: "open",
    qualityScore: 7,
    reviewReasons: ["an older crew's reason"],
    logs: [],
    messageId: randomUUID(),
  };
}

/** A ticket exactly as the current crew writes it, except for the fields given. */
function currentTicket(item: FeedbackItem, result: TriageResult, overrides: Partial<NewTicket>): NewTicket {
  const { logs: _logs, ...fields } = result;
  return { id: randomUUID(), item, ...fields, logs: [], messageId: randomUUID(), ...overrides };
}

describe("tickets retriage", () => {
  let fixture: TestBackend;

  beforeAll(async () => {
    fixture = await openTestBackend();
  });
  afterAll(async () => fixture.close());

  /** Stores the ticket; the query that re-triages it alone (by its source id). */
  async function store(ticket: NewTicket) {
    await insertTickets(fixture.db.sql, [ticket]);
    return { search: ticket.item.sourceId };
  }

  async function crewResult(item: FeedbackItem): Promise<TriageResult> {
    const [result] = await crew.triage([item], await fixture.backend.configuration.load());
    return result!;
  }

  it("rewrites the category the crew now assigns", async () => {
    const ticket = staleTicket();
    const summary = await retriageTickets(fixture.backend, crew, await store(ticket));
    expect(summary).toMatchObject({ matched: 1, changed: 1 });
    expect(summary.transitions["category: Complaint -> Feature Request"]).toBe(1);
    expect((await fixture.backend.tickets.get(ticket.id))?.category).toBe("Feature Request");
  });

  it("sets the ticket's confidence to the crew's new confidence", async () => {
    const ticket = staleTicket();
    await retriageTickets(fixture.backend, crew, await store(ticket));
    const expected = (await crewResult(ticket.item)).confidence;
    expect(expected).not.toBe(0.95);
    expect((await fixture.backend.tickets.get(ticket.id))?.confidence).toBe(expected);
  });

  it("records the confidence before and after in the history entry", async () => {
    const ticket = staleTicket();
    await retriageTickets(fixture.backend, crew, await store(ticket));
    const expected = (await crewResult(ticket.item)).confidence;
    const entry = (await fixture.backend.tickets.get(ticket.id))?.history.at(-1);
    expect(entry).toMatchObject({
      actor: RETRIAGE_ACTOR,
      before: { confidence: 0.95 },
      after: { confidence: expected },
    });
    expect(entry?.reason).toMatch(/re-triage \(offline crew\): confidence 0.95 ->/);
  });

  it("replaces the review reasons and quality score with the crew's", async () => {
    const ticket = staleTicket();
    await retriageTickets(fixture.backend, crew, await store(ticket));
    const expected = await crewResult(ticket.item);
    const after = await fixture.backend.tickets.get(ticket.id);
    expect(after?.reviewReasons).toEqual(expected.reviewReasons);
    expect(after?.reviewReasons).not.toContain("an older crew's reason");
    expect(after?.qualityScore).toBe(expected.qualityScore);
  });

  it("counts a change of confidence alone as a change, and lists it", async () => {
    const item = makeItem({ text: FEATURE_REQUEST, sourceId: uniqueSourceId() });
    const result = await crewResult(item);
    const ticket = currentTicket(item, result, { confidence: result.confidence === 0.5 ? 0.4 : 0.5 });
    const summary = await retriageTickets(fixture.backend, crew, await store(ticket));
    expect(summary).toMatchObject({ changed: 1, unchanged: 0 });
    expect(summary.changes[0]?.changes).toEqual({ confidence: [ticket.confidence, result.confidence] });
    expect((await fixture.backend.tickets.get(ticket.id))?.confidence).toBe(result.confidence);
  });

  it("keeps a category a person set by hand, while rewriting the crew's confidence", async () => {
    const ticket = staleTicket();
    const query = await store(ticket);
    await fixture.backend.tickets.update(
      ticket.id,
      { category: "Praise" },
      { actor: "alice", reason: "read as praise" },
    );
    const summary = await retriageTickets(fixture.backend, crew, query);
    expect(summary.keptManual).toBe(1);
    expect(summary.changes[0]?.keptManual).toEqual(["category"]);
    const after = await fixture.backend.tickets.get(ticket.id);
    expect(after?.category).toBe("Praise");
    expect(after?.confidence).toBe((await crewResult(ticket.item)).confidence);
  });

  it("appends the crew's processing logs of the re-run to the ticket", async () => {
    const ticket = staleTicket();
    await retriageTickets(fixture.backend, crew, await store(ticket));
    const expected = (await crewResult(ticket.item)).logs.map(({ agent, action }) => ({ agent, action }));
    expect(expected.length).toBeGreaterThan(0);
    const logs = (await fixture.backend.tickets.get(ticket.id))?.logs ?? [];
    expect(logs.map(({ agent, action }) => ({ agent, action }))).toEqual(expected);
  });

  it("with --dry-run reports the changes and writes nothing", async () => {
    const ticket = staleTicket();
    const summary = await retriageTickets(fixture.backend, crew, await store(ticket), { dryRun: true });
    expect(summary).toMatchObject({ dryRun: true, changed: 1 });
    expect(summary.changes[0]?.changes.confidence?.[0]).toBe(0.95);
    const after = await fixture.backend.tickets.get(ticket.id);
    expect(after).toMatchObject({ category: "Complaint", confidence: 0.95, reviewReasons: ["an older crew's reason"] });
    expect(after?.history).toEqual([]);
    expect(after?.logs).toEqual([]);
  });

  it("changes nothing when run again", async () => {
    const ticket = staleTicket();
    const query = await store(ticket);
    await retriageTickets(fixture.backend, crew, query);
    expect(await retriageTickets(fixture.backend, crew, query)).toMatchObject({ matched: 1, changed: 0, unchanged: 1 });
  });

  it("writes the detected language on a ticket triaged before languages were recorded", async () => {
    const { backend, db } = fixture;
    const old = staleTicket("Die App stürzt seit dem letzten Update jedes Mal beim Öffnen ab");
    await insertTickets(db.sql, [old]);
    expect((await backend.tickets.get(old.id))?.language).toBeNull();
    await retriageTickets(backend, createOfflineAgents(), { search: old.item.sourceId });
    const after = await backend.tickets.get(old.id);
    expect([after?.language, after?.status]).toEqual(["de", "needs_review"]);
  });
});
