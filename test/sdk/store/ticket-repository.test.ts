import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../../../sdk/errors.js";
import type { NewTicket, TicketRepository } from "../../../sdk/ports/tickets.js";
import type { Category, Priority } from "../../../sdk/schemas/feedback.js";
import { insertTickets, ticketKey } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem } from "../../support/factories.js";

function newTicket(overrides: Partial<NewTicket> & { text?: string } = {}): NewTicket {
  const item = overrides.item ?? makeItem(overrides.text ? { text: overrides.text } : {});
  return {
    id: randomUUID(),
    item,
    title: "[BUG] Crash on profile page",
    description: item.text,
    category: "Bug",
    priority: "High",
    confidence: 0.9,
    technicalDetails: { device: "iPhone 14" },
    status: "open",
    qualityScore: 8,
    reviewReasons: [],
    logs: [
      {
        agent: "classifier",
        action: "classify",
        result: { category: "Bug" },
        confidence: 0.9,
        durationMs: 0.2,
        tokensIn: null,
        tokensOut: null,
      },
    ],
    messageId: randomUUID(),
    ...overrides,
  };
}

describe("ticket store", () => {
  let fixture: TestBackend;
  let db: TestBackend["db"];
  let repo: TicketRepository;

  beforeAll(async () => {
    fixture = await openTestBackend();
    ({ db } = fixture);
    repo = fixture.backend.tickets;
    const mix: [Priority, Category, string][] = [
      ["Critical", "Bug", "Lost all my notes after the update"],
      ["Low", "Praise", "Lovely design, thank you"],
      ["High", "Complaint", "Charged twice, I want a refund"],
      ["Medium", "Feature Request", "Please add calendar sync"],
      ["Critical", "Bug", "Payment screen crashes on start"],
    ];
    await insertTickets(
      db.sql,
      mix.map(([priority, category, text]) =>
        newTicket({ priority, category, text, title: `${category}: ${text}`.slice(0, 80) }),
      ),
    );
  });
  afterAll(() => fixture?.close());

  it("filters by priority and reports the total", async () => {
    const { items, total } = await repo.list({ priority: ["Critical"] });
    expect(total).toBe(2);
    expect(items.every((t) => t.priority === "Critical")).toBe(true);
  });

  it("filters by several priorities at once, counting on the tickets when searching too", async () => {
    const { items } = await repo.list({ priority: ["High", "Low"] });
    expect(items.map((t) => t.priority).sort()).toEqual(["High", "Low"]);
    const searched = await repo.list({ priority: ["Critical", "Medium"], search: "crashes" });
    expect(searched.items.map((t) => t.priority)).toEqual(["Critical"]);
    expect(searched.total).toBe(1);
  });

  it("sorts by severity when sorting by priority", async () => {
    const { items } = await repo.list({ sortBy: "priority", sortOrder: "desc" });
    expect(items.map((t) => t.priority)).toEqual(["Critical", "Critical", "High", "Medium", "Low"]);
  });

  it("searches title and description case-insensitively", async () => {
    const { items } = await repo.list({ search: "REFUND" });
    expect(items.map((t) => t.category)).toEqual(["Complaint"]);
  });

  it("paginates with limit and offset", async () => {
    const first = await repo.list({ limit: 2, offset: 0 });
    const second = await repo.list({ limit: 2, offset: 2 });
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(2);
    expect(new Set([...first.items, ...second.items].map((t) => t.id)).size).toBe(4);
  });

  it("filters by date range", async () => {
    expect((await repo.list({ since: new Date(Date.now() + 60_000) })).total).toBe(0);
    expect((await repo.list({ until: new Date(Date.now() + 60_000) })).total).toBe(5);
  });

  it("finds a ticket by a source id whose words look like numbers (421e8cbe)", async () => {
    const ticket = newTicket({ item: makeItem({ sourceId: "r-421e8cbe-61eb-4e43-a103-48b24652c805" }) });
    await insertTickets(db.sql, [ticket]);
    const { items } = await repo.list({ search: "r-421e8cbe-61eb-4e43-a103-48b24652c805" });
    expect(items.map((t) => t.id)).toEqual([ticket.id]);
  });

  it("writes nothing for a ticket whose source key exists already", async () => {
    const original = newTicket();
    await insertTickets(db.sql, [original]);
    const again = await insertTickets(db.sql, [newTicket({ item: original.item, title: "Another title here" })]);
    expect(again.created).toEqual([]);
    expect(again.duplicates).toEqual([ticketKey(original.item.sourceType, original.item.sourceId)]);
    expect((await repo.get(original.id))?.title).toBe(original.title);
  });

  it("returns a ticket with its original feedback and processing log", async () => {
    const ticket = newTicket();
    await insertTickets(db.sql, [ticket]);
    const detail = await repo.get(ticket.id);
    expect(detail?.feedback?.text).toBe(ticket.item.text);
    expect(detail?.logs.map((l) => l.agent)).toEqual(["classifier"]);
  });

  it("records who changed what in the ticket history", async () => {
    const ticket = newTicket();
    await insertTickets(db.sql, [ticket]);
    const updated = await repo.update(
      ticket.id,
      { priority: "Critical", status: "approved" },
      { actor: "alice", reason: "data loss" },
    );
    expect(updated.version).toBe(2);
    const detail = await repo.get(ticket.id);
    expect(detail?.history).toEqual([
      expect.objectContaining({
        actor: "alice",
        reason: "data loss",
        before: { priority: "High", status: "open" },
        after: { priority: "Critical", status: "approved" },
      }),
    ]);
  });

  it("rewrites a re-triage's confidence, quality score and review reasons, with before and after in history", async () => {
    const ticket = newTicket();
    await insertTickets(db.sql, [ticket]);
    const rewrite = { confidence: 0.55, qualityScore: 4, reviewReasons: ["low confidence"] };
    const updated = await repo.update(ticket.id, rewrite, { actor: "retriage" });
    expect(updated).toMatchObject({ ...rewrite, version: 2 });
    expect((await repo.get(ticket.id))?.history).toEqual([
      expect.objectContaining({
        actor: "retriage",
        before: { confidence: 0.9, qualityScore: 8, reviewReasons: [] },
        after: rewrite,
      }),
    ]);
  });

  it("appends the processing logs given with a change after the ticket's own", async () => {
    const ticket = newTicket();
    await insertTickets(db.sql, [ticket]);
    const rerun = { ...ticket.logs[0]!, result: { category: "Complaint" }, confidence: 0.6 };
    await repo.update(ticket.id, { category: "Complaint", confidence: 0.6 }, { actor: "retriage", logs: [rerun] });
    const logs = (await repo.get(ticket.id))?.logs;
    expect(logs?.map((log) => log.result)).toEqual([{ category: "Bug" }, { category: "Complaint" }]);
  });

  it("writes no processing logs when nothing changes", async () => {
    const ticket = newTicket();
    await insertTickets(db.sql, [ticket]);
    await repo.update(ticket.id, { confidence: 0.9 }, { actor: "retriage", logs: ticket.logs });
    expect((await repo.get(ticket.id))?.logs).toHaveLength(1);
  });

  it("rejects an update made against a stale version", async () => {
    const ticket = newTicket();
    await insertTickets(db.sql, [ticket]);
    await repo.update(ticket.id, { priority: "Low" }, { actor: "a" });
    await expect(
      repo.update(ticket.id, { priority: "Medium" }, { actor: "b", expectedVersion: 1 }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("reports a missing ticket as not found on update", async () => {
    await expect(repo.update(randomUUID(), { priority: "Low" }, { actor: "a" })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("counts tickets by priority, category and status", async () => {
    const counts = await repo.counts();
    expect(counts.total).toBeGreaterThanOrEqual(5);
    expect(counts.byPriority.Critical).toBeGreaterThanOrEqual(2);
    expect(counts.byCategory.Praise).toBe(1);
  });

  it("tells which source keys already have tickets", async () => {
    const ticket = newTicket();
    await insertTickets(db.sql, [ticket]);
    const key = ticketKey(ticket.item.sourceType, ticket.item.sourceId);
    expect(await repo.existingKeys([key, "email:nope"])).toEqual(new Set([key]));
  });

  it("finds keys whose source id holds colons, among more keys than one query takes", async () => {
    const ticket = newTicket({ item: makeItem({ sourceType: "email", sourceId: "email:<a:b@example.com>" }) });
    await insertTickets(db.sql, [ticket]);
    const key = ticketKey(ticket.item.sourceType, ticket.item.sourceId);
    const others = Array.from({ length: 6_000 }, (_, i) => `webhook:absent-${i}`);
    expect(await repo.existingKeys([...others, key])).toEqual(new Set([key]));
    expect(await repo.existingKeys([])).toEqual(new Set());
  });
});

describe("ticket store: languages", () => {
  let fixture: TestBackend;
  let repo: TicketRepository;
  const german = newTicket({ text: "Die App stürzt seit dem letzten Update jedes Mal beim Öffnen ab", language: "de" });
  const english = newTicket({ text: "The app crashes every time I open it", language: "en" });
  const french = newTicket({ text: "L'application plante à chaque fois", language: "fr" });
  const undetermined = newTicket({ text: "!!!", language: null });

  beforeAll(async () => {
    fixture = await openTestBackend();
    repo = fixture.backend.tickets;
    await insertTickets(fixture.db.sql, [german, english, french, undetermined]);
  });
  afterAll(() => fixture?.close());

  it("stores each ticket's language and reads it back, null when undetermined", async () => {
    expect((await repo.get(german.id))?.language).toBe("de");
    expect((await repo.get(undetermined.id))?.language).toBeNull();
  });

  it("filters the list by language", async () => {
    const { items, total } = await repo.list({ language: ["de"] });
    expect(total).toBe(1);
    expect(items.map((t) => [t.id, t.language])).toEqual([[german.id, "de"]]);
  });

  it("filters by several languages at once", async () => {
    const { items } = await repo.list({ language: ["de", "fr"] });
    expect(items.map((t) => t.language).sort()).toEqual(["de", "fr"]);
  });
});

describe("ticket store: ids typed as a prefix", () => {
  let fixture: TestBackend;
  let repo: TicketRepository;
  // Two ids that share their first 8 characters, and one of their own.
  const twinA = newTicket({ id: "abcdef12-0000-4000-8000-000000000001" });
  const twinB = newTicket({ id: "abcdef12-9999-4000-8000-000000000002" });
  const single = newTicket({ id: "fedcba98-7654-4321-8000-000000000003" });

  beforeAll(async () => {
    fixture = await openTestBackend();
    repo = fixture.backend.tickets;
    await insertTickets(fixture.db.sql, [twinA, twinB, single]);
  });
  afterAll(() => fixture?.close());

  it("resolves a unique prefix of 6 characters, in any case, to the whole id", async () => {
    expect(await repo.resolveId("FEDCBA")).toEqual([single.id]);
  });

  it("resolves a prefix typed with the id's dashes", async () => {
    expect(await repo.resolveId("abcdef12-00")).toEqual([twinA.id]);
  });

  it("returns every candidate, in id order, for an ambiguous prefix", async () => {
    expect(await repo.resolveId("abcdef12")).toEqual([twinA.id, twinB.id]);
  });

  it("returns the whole id only when that ticket exists", async () => {
    expect(await repo.resolveId(single.id)).toEqual([single.id]);
    expect(await repo.resolveId("00000000-0000-4000-8000-000000000000")).toEqual([]);
  });

  it("returns nothing for a prefix shorter than 6 characters or not hex", async () => {
    expect(await repo.resolveId("abcde")).toEqual([]);
    expect(await repo.resolveId("abcdefgh")).toEqual([]);
  });
});

describe("ticket store: the feedback's date, its app, one platform spelling", () => {
  let fixture: TestBackend;
  let repo: TicketRepository;
  const notes = newTicket({
    item: makeItem({ app: "com.example.notes", submittedAt: "2025-01-10T09:00:00.000Z" }),
    technicalDetails: { platform: "ios", os: "ios 17.2" },
  });
  const notesLater = newTicket({
    item: makeItem({ app: "com.example.notes", submittedAt: "2025-03-10T09:00:00.000Z" }),
    technicalDetails: { platform: "iOS" },
  });
  const camera = newTicket({
    item: makeItem({ app: "com.example.camera", submittedAt: null }),
    technicalDetails: { platform: "IOS" },
  });

  beforeAll(async () => {
    fixture = await openTestBackend();
    repo = fixture.backend.tickets;
    await insertTickets(fixture.db.sql, [notes, notesLater, camera]);
  });
  afterAll(() => fixture?.close());

  it("stores each ticket's submittedAt and app from its feedback item, null when the item has none", async () => {
    const stored = await repo.get(notes.id);
    expect([stored?.submittedAt, stored?.app]).toEqual(["2025-01-10T09:00:00.000Z", "com.example.notes"]);
    const undated = await repo.get(camera.id);
    expect([undated?.submittedAt, undated?.app]).toEqual([null, "com.example.camera"]);
  });

  it("filters the list by app", async () => {
    const { items } = await repo.list({ app: ["com.example.notes"] });
    expect(items.map((t) => t.id).sort()).toEqual([notes.id, notesLater.id].sort());
  });

  it("ranges --since/--until over the feedback's date with dateBy submitted, else over the created date", async () => {
    const window = { since: new Date("2025-01-01T00:00:00Z"), until: new Date("2025-02-01T00:00:00Z") };
    expect((await repo.list({ ...window, dateBy: "submitted" })).items.map((t) => t.id)).toEqual([notes.id]);
    expect((await repo.list(window)).total).toBe(0);
  });

  it("writes platform variants ios / iOS / IOS as one value, and the OS name the same way", async () => {
    const data = await fixture.backend.insights.analytics(
      { limit: 1, offset: 0, sortBy: "createdAt", sortOrder: "desc" },
      "week",
    );
    expect(data.bugHotspots.platform).toEqual([{ label: "iOS", count: 3 }]);
    expect((await repo.get(notes.id))?.technicalDetails.os).toBe("iOS 17.2");
  });
});
