import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GroupingStage } from "../../../app/grouping/grouping-stage.js";
import type { GroupingSettings as Settings } from "../../../sdk/schemas/grouping.js";
import { GroupingSettings } from "../../../sdk/schemas/grouping.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeNewTicket } from "../../support/factories.js";
import { BagOfWordsEncoder } from "../../support/fake-encoder.js";

describe("the async grouping stage", () => {
  let fixture: TestBackend;
  let encoder: BagOfWordsEncoder;
  let stage: GroupingStage;

  beforeEach(async () => {
    fixture = await openTestBackend();
    encoder = new BagOfWordsEncoder();
    stage = new GroupingStage({
      grouping: fixture.backend.grouping,
      configuration: fixture.backend.configuration,
      encoder,
    });
    await configure({});
  });
  afterEach(async () => fixture?.close());

  const configure = (settings: Partial<Settings>) =>
    fixture.backend.configuration.set("grouping", GroupingSettings.parse({ enabled: true, ...settings }), "test");

  const report = (text: string, overrides: Parameters<typeof makeItem>[0] = {}) =>
    makeNewTicket({ item: makeItem({ text, app: "com.example.notes", ...overrides }), status: "open" });

  /** One after another: the stage takes them in that order (oldest first). */
  async function write(...tickets: ReturnType<typeof report>[]) {
    for (const ticket of tickets) await insertTickets(fixture.db.sql, [ticket]);
    return tickets;
  }

  const listed = async () => (await fixture.backend.tickets.list({ limit: 100 })).items;

  it("folds a second report of the same problem into the open ticket: one ticket, reach 2, both items listed", async () => {
    const [first, second] = await write(
      report("The app crashes when I open the camera"),
      report("App crashes whenever I open the camera"),
    );
    const pass = await stage.runOnce();
    expect(pass).toMatchObject({ looked: 2, joined: 1 });
    const tickets = await listed();
    expect(tickets.map((t) => [t.id, t.reach])).toEqual([[first!.id, 2]]);
    const detail = await fixture.backend.tickets.get(first!.id);
    expect(detail?.items.map((i) => i.sourceId).sort()).toEqual([first!.item.sourceId, second!.item.sourceId].sort());
    expect((await fixture.backend.tickets.get(second!.id))?.mergedInto).toBe(first!.id);
  });

  it("embeds each item once, in one batch, and stores it", async () => {
    await write(report("The app crashes when I open the camera"), report("Sync stopped working on my tablet"));
    await stage.runOnce();
    expect(encoder.calls).toEqual([2]);
    await write(report("Sync stopped working on my phone"));
    await new GroupingStage({
      grouping: fixture.backend.grouping,
      configuration: fixture.backend.configuration,
      encoder,
    }).runOnce();
    // The new stage read the two stored embeddings instead of computing them again.
    expect(encoder.calls).toEqual([2, 1]);
  });

  it("embeds a text that several items share once", async () => {
    await write(report("Keeps crashing"), report("Keeps crashing"), report("Keeps crashing"));
    expect(await stage.runOnce()).toMatchObject({ looked: 3, embedded: 3, encoded: 1, joined: 2 });
    expect(encoder.calls).toEqual([1]);
  });

  it("keeps working when its memory of embeddings is smaller than a pass needs", async () => {
    const small = new GroupingStage({
      grouping: fixture.backend.grouping,
      configuration: fixture.backend.configuration,
      encoder,
      cacheLimit: 1,
    });
    const [first] = await write(report("The app crashes when I open the camera"), report("Sync is slow on my tablet"));
    await small.runOnce();
    await write(report("App crashes whenever I open the camera"));
    expect(await small.runOnce()).toMatchObject({ looked: 1, joined: 1 });
    expect((await fixture.backend.tickets.get(first!.id))?.reach).toBe(2);
  });

  it("never groups across apps", async () => {
    await write(
      report("The app crashes when I open the camera", { app: "com.example.notes" }),
      report("The app crashes when I open the camera", { app: "com.example.photos" }),
    );
    await stage.runOnce();
    expect((await listed()).map((t) => t.reach)).toEqual([1, 1]);
  });

  it("keeps the same symptom in another component apart (camera crash vs settings crash)", async () => {
    await write(report("The app crashes when I open the camera"), report("The app crashes when I open the settings"));
    const pass = await stage.runOnce();
    expect(pass?.joined).toBe(0);
    expect(await listed()).toHaveLength(2);
  });

  it("reopens a recently closed ticket as a regression when the problem is reported again, with history", async () => {
    const [first] = await write(report("The app crashes when I open the camera"));
    await stage.runOnce();
    await fixture.backend.tickets.update(first!.id, { status: "closed" }, { actor: "dev", reason: "fixed in 4.2" });
    await write(report("App crashes whenever I open the camera"));
    const pass = await stage.runOnce();
    expect(pass?.reopened).toEqual([first!.id]);
    const detail = await fixture.backend.tickets.get(first!.id);
    expect(detail).toMatchObject({ status: "open", reach: 2 });
    expect(detail?.regressedAt).not.toBeNull();
    expect(detail?.history.at(-1)?.after).toMatchObject({ status: "open", regression: true });
  });

  it("leaves a ticket closed longer ago than the window alone: the new report is a ticket of its own", async () => {
    const [first] = await write(report("The app crashes when I open the camera"));
    await stage.runOnce();
    await fixture.backend.tickets.update(first!.id, { status: "closed" }, { actor: "dev" });
    await configure({ closedWithinDays: 0 });
    await write(report("App crashes whenever I open the camera"));
    expect((await stage.runOnce())?.joined).toBe(0);
    expect((await fixture.backend.tickets.get(first!.id))?.status).toBe("closed");
  });

  it("in the grey zone gives the item its own ticket and records a merge suggestion", async () => {
    await configure({ joinThreshold: 1.5, suggestThreshold: 0.5 });
    const [first, second] = await write(
      report("The app crashes when I open the camera"),
      report("App crashes whenever I open the camera"),
    );
    expect((await stage.runOnce())?.suggested).toBe(1);
    expect(await listed()).toHaveLength(2);
    const [suggestion] = await fixture.backend.grouping.suggestions();
    expect(suggestion).toMatchObject({ ticketId: second!.id, targetId: first!.id, status: "pending" });
  });

  it("raises the priority with reach and recency by the configured rule, recorded in the history", async () => {
    await configure({ priorityRules: [{ minReach: 3, withinDays: 3650, priority: "Critical" }] });
    const [first] = await write(
      report("The app crashes when I open the camera"),
      report("App crashes whenever I open the camera"),
      report("The app crashes every time I open the camera"),
    );
    const pass = await stage.runOnce();
    expect(pass?.raised).toEqual([first!.id]);
    const detail = await fixture.backend.tickets.get(first!.id);
    expect(detail).toMatchObject({ priority: "Critical", reach: 3 });
    expect(detail?.history.at(-1)).toMatchObject({ actor: "grouping", after: { priority: "Critical" } });
  });

  it("does nothing while grouping is off", async () => {
    await configure({ enabled: false });
    await write(report("The app crashes when I open the camera"), report("App crashes whenever I open the camera"));
    expect(await stage.runOnce()).toBeNull();
    expect(encoder.calls).toEqual([]);
    expect((await fixture.backend.grouping.status()).pending).toBe(2);
  });

  it("redelivery of a grouped item's message adds no item twice", async () => {
    const [first, second] = await write(
      report("The app crashes when I open the camera"),
      report("App crashes whenever I open the camera"),
    );
    await stage.runOnce();
    const again = await insertTickets(fixture.db.sql, [{ ...second!, id: crypto.randomUUID() }]);
    expect(again.created).toEqual([]);
    await stage.runOnce();
    expect((await fixture.backend.tickets.get(first!.id))?.reach).toBe(2);
  });
});
