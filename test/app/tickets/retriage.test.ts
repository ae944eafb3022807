import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOfflineAgents } from "../../../app/agents/offline/index.js";
import { RETRIAGE_ACTOR, retriageTickets } from "../../../app/tickets/retriage.js";
import type { NewTicket } from "../../../sdk/ports/tickets.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem } from "../../support/factories.js";

/** A ticket as an older crew might have written it: a clear feature request filed as a Complaint. */
function staleTicket(text: string): NewTicket {
  const item = makeItem({ text, sourceId: `r-${randomUUID()}` });
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
    reviewReasons: [],
    logs: [],
    messageId: randomUUID(),
  };
}

describe("tickets retriage", () => {
  let fixture: TestBackend;
  const text = "Please add an export to PDF, it would be great if reports could be shared.";

  beforeAll(async () => {
    fixture = await openTestBackend();
  });
  afterAll(async () => fixture.close());

  it("re-runs the crew with history, keeps manual overrides, and --dry-run writes nothing", async () => {
    const { backend, db } = fixture;
    const auto = staleTicket(text);
    const manual = staleTicket(text);
    await insertTickets(db.sql, [auto, manual]);
    await backend.tickets.update(manual.id, { category: "Praise" }, { actor: "alice", reason: "read as praise" });
    const crew = createOfflineAgents();

    const dry = await retriageTickets(backend, crew, {}, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, matched: 2, changed: 2, keptManual: 1 });
    expect(dry.transitions["category: Complaint -> Feature Request"]).toBe(1);
    expect(dry.changes.find((c) => c.id === manual.id)?.keptManual).toContain("category");
    expect((await backend.tickets.get(auto.id))?.category).toBe("Complaint");

    const real = await retriageTickets(backend, crew, {});
    expect(real.changed).toBe(2);
    const after = await backend.tickets.get(auto.id);
    expect(after?.category).toBe("Feature Request");
    expect(after?.history.at(-1)).toMatchObject({ actor: RETRIAGE_ACTOR });
    expect(after?.history.at(-1)?.reason).toMatch(/re-triage \(offline crew\): confidence 0.95 ->/);
    expect((await backend.tickets.get(manual.id))?.category).toBe("Praise");

    const again = await retriageTickets(backend, crew, {});
    expect(again).toMatchObject({ matched: 2, changed: 0, unchanged: 2 });
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
