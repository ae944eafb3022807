import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../../sdk/errors.js";
import type { NewTicket } from "../../../sdk/ports/tickets.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeNewTicket } from "../../support/factories.js";

describe("merging and unmerging tickets by hand", () => {
  let fixture: TestBackend;
  beforeEach(async () => {
    fixture = await openTestBackend();
  });
  afterEach(async () => fixture?.close());

  async function write(...texts: string[]): Promise<NewTicket[]> {
    const tickets = texts.map((text, i) =>
      makeNewTicket({
        item: makeItem({ text, app: "com.example.notes", appVersion: `4.${i}.0`, platform: i % 2 ? "android" : "ios" }),
      }),
    );
    for (const ticket of tickets) await insertTickets(fixture.db.sql, [ticket]);
    return tickets;
  }

  it("a new ticket is a group of one: reach 1, its own item, its version and platform", async () => {
    const [ticket] = await write("Camera crashes on start");
    const detail = await fixture.backend.tickets.get(ticket!.id);
    expect(detail).toMatchObject({ reach: 1, versions: ["4.0.0"], platforms: ["iOS"], mergedInto: null });
    expect(detail?.items.map((i) => [i.sourceId, i.addedBy])).toEqual([[ticket!.item.sourceId, "triage"]]);
    expect(detail?.quotes).toEqual([{ sourceId: ticket!.item.sourceId, text: "Camera crashes on start" }]);
  });

  it("merge folds tickets into one: reach, versions and platforms add up, lists and counts show one ticket", async () => {
    const [into, a, b] = await write("Camera crashes", "Camera closes itself", "Camera shuts down");
    await fixture.backend.grouping.merge(into!.id, [a!.id, b!.id], { actor: "olivia", reason: "same crash" });
    const detail = await fixture.backend.tickets.get(into!.id);
    expect(detail?.reach).toBe(3);
    expect(detail?.versions.sort()).toEqual(["4.0.0", "4.1.0", "4.2.0"]);
    expect(detail?.platforms.sort()).toEqual(["Android", "iOS"]);
    expect(detail?.items.map((i) => i.addedBy).sort()).toEqual(["olivia", "olivia", "triage"]);
    expect(detail?.history.at(-1)).toMatchObject({ actor: "olivia", reason: "same crash", after: { reach: 3 } });
    expect((await fixture.backend.tickets.list()).items.map((t) => t.id)).toEqual([into!.id]);
    expect((await fixture.backend.tickets.counts()).total).toBe(1);
  });

  it("merge of a ticket that is a group carries its whole group along", async () => {
    const [into, group, member] = await write("Camera crashes", "Camera closes itself", "Camera shuts down");
    await fixture.backend.grouping.merge(group!.id, [member!.id], { actor: "olivia" });
    await fixture.backend.grouping.merge(into!.id, [group!.id], { actor: "olivia" });
    expect((await fixture.backend.tickets.get(into!.id))?.reach).toBe(3);
    expect((await fixture.backend.tickets.get(member!.id))?.mergedInto).toBe(into!.id);
  });

  it("merge refuses tickets of another app: grouping never crosses apps", async () => {
    const [into] = await write("Camera crashes");
    const other = makeNewTicket({ item: makeItem({ text: "Camera crashes", app: "com.example.photos" }) });
    await insertTickets(fixture.db.sql, [other]);
    await expect(fixture.backend.grouping.merge(into!.id, [other.id], { actor: "olivia" })).rejects.toThrow(
      ValidationError,
    );
    expect((await fixture.backend.tickets.get(into!.id))?.reach).toBe(1);
  });

  it("unmerge takes one item back to its own ticket and records it on both sides", async () => {
    const [into, a] = await write("Camera crashes", "Camera closes itself");
    await fixture.backend.grouping.merge(into!.id, [a!.id], { actor: "olivia" });
    const restored = await fixture.backend.grouping.unmerge(into!.id, a!.item.sourceId, { actor: "olivia" });
    expect(restored).toBe(a!.id);
    const group = await fixture.backend.tickets.get(into!.id);
    expect(group).toMatchObject({ reach: 1, versions: ["4.0.0"] });
    expect(group?.history.at(-1)?.after).toMatchObject({ reach: 1, unmerged: a!.item.sourceId });
    const own = await fixture.backend.tickets.get(a!.id);
    expect(own).toMatchObject({ reach: 1, mergedInto: null });
    expect(own?.history.at(-1)?.after).toEqual({ mergedInto: null });
    expect((await fixture.backend.tickets.list()).total).toBe(2);
  });

  it("unmerge refuses a ticket's own item", async () => {
    const [into, a] = await write("Camera crashes", "Camera closes itself");
    await fixture.backend.grouping.merge(into!.id, [a!.id], { actor: "olivia" });
    await expect(fixture.backend.grouping.unmerge(into!.id, into!.item.sourceId, { actor: "olivia" })).rejects.toThrow(
      /own item/,
    );
  });
});

describe("stored embeddings", () => {
  let fixture: TestBackend;
  beforeEach(async () => {
    fixture = await openTestBackend();
  });
  afterEach(async () => fixture?.close());

  it("keeps each item's vector in order, by model", async () => {
    const ticket = makeNewTicket();
    await insertTickets(fixture.db.sql, [ticket]);
    await fixture.backend.grouping.saveEmbeddings("m1", [{ feedbackItemId: ticket.id, vector: [0.5, -0.25, 1] }]);
    const stored = await fixture.backend.grouping.embeddings([ticket.id], "m1");
    expect([...stored.get(ticket.id)!]).toEqual([0.5, -0.25, 1]);
    expect((await fixture.backend.grouping.embeddings([ticket.id], "m2")).size).toBe(0);
  });
});
