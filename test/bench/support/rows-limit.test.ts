import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { drainQueue } from "../../../app/worker/worker-service.js";
import { measureRowsLimit } from "../../../bench/support/rows-limit.js";
import { loadRuntimeConfig } from "../../../sdk/config/runtime.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeMessageBody } from "../../support/factories.js";

const TEXTS = [
  "The app crashes when I open the camera.",
  "Please add a dark mode.",
  "Sync fails on Android 15 every morning.",
  "Love it, five stars!",
  "Login button does nothing on iPad.",
  "Would be great to export my data to CSV.",
  "Crashes on startup since the update.",
];

/** Everything a run stored that the limit empties and COPYs back, as comparable text. */
async function storedRows(t: TestBackend): Promise<Record<string, string[]>> {
  const read = async (query: string) => (await t.db.sql.query<{ r: string }>(query)).rows.map((row) => row.r).sort();
  return {
    feedbackItems: await read("SELECT row(id, source_id, payload::text)::text AS r FROM feedback_items"),
    tickets: await read(
      "SELECT row(id, title, priority, status, feedback_item_id, created_at)::text AS r FROM tickets",
    ),
    ticketItems: await read("SELECT row(feedback_item_id, ticket_id)::text AS r FROM ticket_items"),
    logs: await read("SELECT row(ticket_id, source_id, steps::text)::text AS r FROM processing_logs"),
    rollups: await read("SELECT row(r.*)::text AS r FROM ticket_rollups r WHERE n <> 0"),
    panelRollups: await read("SELECT row(r.*)::text AS r FROM ticket_panel_rollups r WHERE n <> 0"),
  };
}

describe("the pipeline benchmark's rows limit", () => {
  let t: TestBackend;
  beforeEach(async () => {
    t = await openTestBackend();
    await t.backend.queue.send(TEXTS.map((text) => ({ body: makeMessageBody(makeItem({ text })) })));
    await drainQueue(t.backend, { agents: "offline", agentsConfig: loadRuntimeConfig({}).agents });
  });
  afterEach(() => t.close());

  it("COPYs back exactly the rows the run stored, the rollups recounted by their triggers", async () => {
    const before = await storedRows(t);
    await measureRowsLimit(t.db.sql, t.backend.queue.name, 3);
    expect(await storedRows(t)).toEqual(before);
    expect(before.tickets).toHaveLength(TEXTS.length);
  });

  it("counts every row it copied, a queue message per item received and deleted, and leaves the queue empty", async () => {
    const limit = await measureRowsLimit(t.db.sql, t.backend.queue.name, 3);
    expect(limit.rows).toMatchObject({
      feedback_items: TEXTS.length,
      tickets: TEXTS.length,
      ticket_items: TEXTS.length,
      processing_logs: TEXTS.length,
      queue_messages: TEXTS.length,
    });
    expect(limit.withQueueRowMsPerItem).toBeGreaterThan(limit.storedRowsMsPerItem);
    expect(limit.withQueueRoundTripMsPerItem).toBeGreaterThan(limit.withQueueRowMsPerItem);
    expect(Object.keys(limit.msPerItemByTable)).toEqual(
      expect.arrayContaining(["queue_messages receive", "queue_messages delete"]),
    );
    expect((await t.backend.queue.depth()).visible).toBe(0);
  });
});
