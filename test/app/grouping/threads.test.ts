import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { attachThreadReplies, startThreadAttacher } from "../../../app/grouping/threads.js";
import type { TicketGrouping } from "../../../sdk/ports/grouping.js";
import type { NewTicket } from "../../../sdk/ports/tickets.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeNewTicket } from "../../support/factories.js";

const LONG_AGO = new Date("2000-01-01T00:00:00Z");

/** An e-mail's ticket: Message-ID `id`, replying to the thread `references` (oldest first). */
function mail(id: string, references: string[] = [], app: string | null = "notes"): NewTicket {
  const item = makeItem({
    sourceType: "email",
    sourceId: `email:${id}`,
    app,
    text: `Message ${id}`,
    metadata: { email: { messageId: id, inReplyTo: references.at(-1) ?? null, references } },
  });
  return makeNewTicket({ item });
}

describe("e-mail replies attach to their thread's ticket", () => {
  let t: TestBackend;
  beforeEach(async () => {
    t = await openTestBackend();
  });
  afterEach(async () => {
    await t.close();
  });

  const ticketOf = async (sourceId: string) =>
    (
      await t.db.sql.query<{ id: string; reach: number; merged_into: string | null }>(
        "SELECT id::text AS id, reach, merged_into::text AS merged_into FROM tickets WHERE source_id = $1",
        [sourceId],
      )
    ).rows[0]!;

  it("folds a reply into the ticket of the message it answers, once", async () => {
    await insertTickets(t.db.sql, [mail("m1"), mail("m2", ["m1"])]);
    expect(await attachThreadReplies(t.backend.grouping, LONG_AGO)).toBe(1);
    const root = await ticketOf("email:m1");
    expect(root.reach).toBe(2);
    expect((await ticketOf("email:m2")).merged_into).toBe(root.id);
    expect(await attachThreadReplies(t.backend.grouping, LONG_AGO)).toBe(0);
  });

  it("attaches a reply to a reply to the thread's first message, recorded as threading", async () => {
    await insertTickets(t.db.sql, [mail("m1"), mail("m2", ["m1"]), mail("m3", ["m1", "m2"])]);
    expect(await attachThreadReplies(t.backend.grouping, LONG_AGO)).toBe(2);
    const root = await ticketOf("email:m1");
    expect(root.reach).toBe(3);
    const history = await t.db.sql.query<{ actor: string; reason: string }>(
      "SELECT actor, reason FROM ticket_history WHERE ticket_id = $1::uuid",
      [root.id],
    );
    expect(history.rows.map((h) => h.actor)).toContain("threading");
    expect(history.rows.map((h) => h.reason).join(" ")).toMatch(/reply in the e-mail thread of <m1>/);
  });

  it("uses the earliest message of the thread that has a ticket when the first is missing", async () => {
    await insertTickets(t.db.sql, [mail("m2", ["m1"]), mail("m3", ["m1", "m2"])]);
    expect(await attachThreadReplies(t.backend.grouping, LONG_AGO)).toBe(1);
    expect((await ticketOf("email:m3")).merged_into).toBe((await ticketOf("email:m2")).id);
  });

  it("never crosses apps, and leaves mail outside a known thread alone", async () => {
    await insertTickets(t.db.sql, [mail("m1", [], "notes"), mail("m2", ["m1"], "calendar"), mail("m9", ["elsewhere"])]);
    expect(await attachThreadReplies(t.backend.grouping, LONG_AGO)).toBe(0);
  });

  it("looks only at tickets written since it started (a reply taken out of its thread stays out)", async () => {
    await insertTickets(t.db.sql, [mail("m1"), mail("m2", ["m1"])]);
    expect(await attachThreadReplies(t.backend.grouping, new Date(Date.now() + 60_000))).toBe(0);
  });
});

describe("the thread attacher's periodic passes", () => {
  /** A grouping port that answers no replies and records the window each pass asked for. */
  function recordingGrouping() {
    const windows: number[] = [];
    const grouping = {
      threadReplies: async (since: Date) => {
        windows.push(since.getTime());
        return [];
      },
    } as unknown as TicketGrouping;
    return { grouping, windows };
  }

  it("read only what was written since the previous pass (less a minute), and everything now and then", async () => {
    const { grouping, windows } = recordingGrouping();
    let clock = Date.parse("2026-12-07T10:00:00Z");
    const started = clock;
    const attacher = startThreadAttacher(grouping, {
      everyMs: 5,
      fullEveryMs: 10 * 60_000,
      now: () => {
        clock += 4 * 60_000; // each reading of the clock is one pass later
        return new Date(clock);
      },
    });
    await vi.waitFor(() => expect(windows.length).toBeGreaterThanOrEqual(4));
    await attacher.stop(false);
    const minutes = windows.slice(0, 4).map((w) => (w - started) / 60_000);
    // Started at +4 min, looking back to +3. Passes at +8 (since the start), +12 (since +8 less a minute),
    // +16 (12 min after the start: a full pass again), +20 (since +16 less a minute).
    expect(minutes).toEqual([3, 7, 3, 15]);
  });

  it("reads everything since the start at its final pass", async () => {
    const { grouping, windows } = recordingGrouping();
    const start = Date.parse("2026-12-07T10:00:00Z");
    const attacher = startThreadAttacher(grouping, { everyMs: 60_000, now: () => new Date(start) });
    await attacher.stop();
    expect(windows).toEqual([start - 60_000]);
  });
});
