import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoreSourceRepository } from "../../../sdk/ports/store-reviews.js";
import type { GooglePlaySource } from "../../../sdk/schemas/store-source.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeNewTicket } from "../../support/factories.js";

let counter = 0;
function makeSource(overrides: Partial<GooglePlaySource> = {}): GooglePlaySource {
  counter += 1;
  return {
    name: `game-${counter}`,
    kind: "google-play",
    app: "com.acme.game",
    serviceAccount: { file: "/secrets/play.json" },
    ...overrides,
  };
}

describe("store source store", () => {
  let fixture: TestBackend;
  let sources: StoreSourceRepository;
  beforeAll(async () => {
    fixture = await openTestBackend();
    sources = fixture.backend.sources;
  });
  afterAll(() => fixture?.close());

  it("starts a new source with no cursor and no last pull", async () => {
    const source = makeSource();
    await sources.save(source);

    expect(await sources.get(source.name)).toEqual({
      source,
      cursor: { watermark: null, seen: [], resume: null },
      lastPull: null,
    });
  });

  it("keeps a source's cursor when its settings change", async () => {
    const source = makeSource();
    await sources.save(source);
    const cursor = { watermark: "2026-11-01T00:00:00.000Z", seen: ["gp:1"], resume: null };
    await sources.saveCursor(source.name, cursor);

    await sources.save({ ...source, serviceAccount: { env: "PLAY_KEY" } });

    expect(await sources.get(source.name)).toMatchObject({ cursor, source: { serviceAccount: { env: "PLAY_KEY" } } });
  });

  it("replaces an edited item and records the revision in its ticket's history, with a new version", async () => {
    const item = makeItem({ text: "Freezes on level 3.", rating: 1 });
    const ticket = makeNewTicket({ item });
    await insertTickets(fixture.db.sql, [ticket]);

    const result = await sources.reviseItems(
      [{ ...item, text: "Works now.", rating: 4, contentHash: "b".repeat(64) }],
      {
        actor: "store-pull:game",
        reason: "edited",
      },
    );

    expect(result).toEqual({ revised: [`app_store_review:${item.sourceId}`], unchanged: [] });
    const detail = (await fixture.backend.tickets.get(ticket.id))!;
    expect(detail.version).toBe(2);
    expect(detail.history).toEqual([
      expect.objectContaining({
        actor: "store-pull:game",
        before: { feedback: expect.objectContaining({ text: "Freezes on level 3.", rating: 1 }) },
        after: { feedback: expect.objectContaining({ text: "Works now.", rating: 4 }) },
      }),
    ]);
  });

  it("reports an item stored with the same text and rating as unchanged, and an unknown one as neither", async () => {
    const known = makeItem();
    await insertTickets(fixture.db.sql, [makeNewTicket({ item: known })]);

    const result = await sources.reviseItems([known, makeItem()], { actor: "store-pull:game", reason: "edited" });

    expect(result).toEqual({ revised: [], unchanged: [`app_store_review:${known.sourceId}`] });
  });
});
