import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewTicket } from "../../../sdk/ports/tickets.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeNewTicket } from "../../support/factories.js";

/** What the rollups hold, and what a full scan of the listed tickets says they should hold. */
async function rollupsAndRecount(t: TestBackend) {
  const key = `(COALESCE(submitted_at, created_at) AT TIME ZONE 'UTC')::date::text AS day, app, source_type, language, category, priority, status`;
  const [rollups, recount] = await Promise.all([
    t.db.sql.query(
      `SELECT day::text, app, source_type, language, category, priority, status, n, round(confidence_sum::numeric, 6)::text AS confidence
       FROM ticket_rollups WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7`,
    ),
    t.db.sql.query(
      `SELECT ${key}, count(*)::int AS n, round(sum(confidence)::numeric, 6)::text AS confidence
       FROM tickets WHERE merged_into IS NULL GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`,
    ),
  ]);
  return {
    rollups: rollups.rows,
    recount: recount.rows,
  };
}

const ticket = (overrides: Partial<NewTicket> & { day?: string; app?: string } = {}) => {
  const { day = "2026-11-30", app, ...rest } = overrides;
  return makeNewTicket({ item: makeItem({ submittedAt: `${day}T10:00:00.000Z`, app }), ...rest });
};

describe("ticket rollups", () => {
  let t: TestBackend;
  beforeEach(async () => {
    t = await openTestBackend();
  });
  afterEach(() => t.close());

  it("count the tickets a batch writes by feedback day, app, category, priority and status", async () => {
    await insertTickets(t.db.sql, [
      ticket({ day: "2026-11-29", app: "ios-app" }),
      ticket({ day: "2026-11-29", app: "ios-app" }),
      ticket({ day: "2026-11-30", app: "android-app", category: "Feature Request", priority: "Low" }),
    ]);
    const { rollups, recount } = await rollupsAndRecount(t);
    expect(rollups).toEqual(recount);
    expect(rollups).toHaveLength(2);
  });

  it("follow a manual change of category, priority and status", async () => {
    const [a] = [ticket(), ticket()];
    await insertTickets(t.db.sql, [a!, ticket()]);
    await t.backend.tickets.update(
      a!.id,
      { category: "Complaint", priority: "Critical", status: "open" },
      { actor: "ops" },
    );
    const { rollups, recount } = await rollupsAndRecount(t);
    expect(rollups).toEqual(recount);
    expect(await t.backend.tickets.counts()).toMatchObject({ total: 2, byPriority: { Critical: 1, High: 1 } });
  });

  it("leave a ticket out once merged into another, and count it again when taken out", async () => {
    const [into, merged] = [ticket(), ticket()];
    await insertTickets(t.db.sql, [into!, merged!]);
    await t.backend.grouping.merge(into!.id, [merged!.id], { actor: "ops", reason: "same crash" });
    expect((await rollupsAndRecount(t)).rollups).toEqual((await rollupsAndRecount(t)).recount);
    expect((await t.backend.tickets.counts()).total).toBe(1);
    await t.backend.grouping.unmerge(into!.id, merged!.item.sourceId, { actor: "ops", reason: "not the same" });
    const { rollups, recount } = await rollupsAndRecount(t);
    expect(rollups).toEqual(recount);
    expect((await t.backend.tickets.counts()).total).toBe(2);
  });

  it("drop the tickets deleted with one person's data", async () => {
    await insertTickets(t.db.sql, [
      makeNewTicket({ item: makeItem({ author: "Ann Lee", text: "Ann Lee here: the app crashes on start." }) }),
      ticket(),
    ]);
    await t.db.sql.query("DELETE FROM tickets WHERE description LIKE 'Ann Lee%'");
    const { rollups, recount } = await rollupsAndRecount(t);
    expect(rollups).toEqual(recount);
    expect((await t.backend.tickets.counts()).total).toBe(1);
  });

  it("give tickets list an exact total past the scan cap's reach, and the overview its figures", async () => {
    await insertTickets(t.db.sql, [ticket({ app: "ios-app" }), ticket({ app: "android-app", priority: "Critical" })]);
    const page = await t.backend.tickets.list({ app: ["ios-app"], limit: 1 });
    expect(page).toMatchObject({ total: 1, totalCapped: false });
    const overview = await t.backend.insights.overview(new Date("2026-12-01T00:00:00Z"), { app: ["android-app"] });
    expect(overview).toMatchObject({ total: 1, byPriority: { Critical: 1 } });
  });
});
