import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewTicket } from "../../../sdk/ports/tickets.js";
import { TicketQuery } from "../../../sdk/schemas/ticket.js";
import { SqlPersonalDataStore } from "../../../sdk/store/personal-data-store.js";
import { SqlStoreSourceStore } from "../../../sdk/store/store-source-store.js";
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

/**
 * The analytics panels' rollups, and a recount of the listed tickets as the panels scanned them before the rollups:
 * the rating from the ticket's feedback item, the feature and the bug details from its technical details.
 */
async function panelRollupsAndRecount(t: TestBackend) {
  const key = `day, app, source_type, language, category, priority, status`;
  const [rollups, recount] = await Promise.all([
    t.db.sql.query(
      `SELECT day::text, app, source_type, language, category, priority, status, panel, value, n
       FROM ticket_panel_rollups WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    ),
    t.db.sql.query(
      `WITH listed AS (
         SELECT (COALESCE(t.submitted_at, t.created_at) AT TIME ZONE 'UTC')::date::text AS day, t.app, t.source_type,
                t.language, t.category, t.priority, t.status, t.technical_details AS d, fi.payload->>'rating' AS rating
         FROM tickets t LEFT JOIN feedback_items fi ON fi.id = t.feedback_item_id WHERE t.merged_into IS NULL)
       SELECT ${key}, 'rating' AS panel, CASE WHEN rating ~ '^[1-5]$' THEN rating END AS value, count(*)::int AS n
       FROM listed GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
       UNION ALL
       SELECT ${key}, 'feature', lower(btrim(COALESCE(NULLIF(d->>'requestedCapability', ''), NULLIF(d->>'affectedFeature', '')))), count(*)::int
       FROM listed WHERE category = 'Feature Request' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
       UNION ALL
       SELECT ${key}, 'appVersion', d->>'appVersion', count(*)::int FROM listed WHERE category = 'Bug' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
       UNION ALL
       SELECT ${key}, 'platform', d->>'platform', count(*)::int FROM listed WHERE category = 'Bug' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
       UNION ALL
       SELECT ${key}, 'device', d->>'device', count(*)::int FROM listed WHERE category = 'Bug' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
       ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    ),
  ]);
  return { rollups: rollups.rows, recount: recount.rows };
}

const bug = (device: string, rating: number | null = 2) =>
  ticket({
    item: makeItem({ submittedAt: "2026-11-30T10:00:00.000Z", rating }),
    technicalDetails: { appVersion: "4.2.0", platform: "iOS", device },
  });
const featureRequest = (requestedCapability: string, rating: number | null = 5) =>
  ticket({
    item: makeItem({ submittedAt: "2026-11-30T10:00:00.000Z", rating }),
    category: "Feature Request",
    technicalDetails: { requestedCapability },
  });

describe("ticket panel rollups", () => {
  let t: TestBackend;
  beforeEach(async () => {
    t = await openTestBackend();
  });
  afterEach(() => t.close());

  it("count a batch's ratings, requested features and bug app versions, platforms and devices", async () => {
    await insertTickets(t.db.sql, [
      bug("iPhone 14"),
      bug("iPhone 14", null),
      featureRequest("Dark mode "),
      featureRequest("dark mode", 4),
    ]);
    const { rollups, recount } = await panelRollupsAndRecount(t);
    expect(rollups).toEqual(recount);
    expect(rollups).toContainEqual(expect.objectContaining({ panel: "feature", value: "dark mode", n: 2 }));
  });

  it("follow a manual change of category and technical details", async () => {
    const [a, b] = [bug("Pixel 8"), featureRequest("widgets")];
    await insertTickets(t.db.sql, [a!, b!]);
    await t.backend.tickets.update(
      a!.id,
      { category: "Feature Request", technicalDetails: { requestedCapability: "Offline mode" } },
      { actor: "ops" },
    );
    await t.backend.tickets.update(b!.id, { technicalDetails: { requestedCapability: "tags" } }, { actor: "ops" });
    const { rollups, recount } = await panelRollupsAndRecount(t);
    expect(rollups).toEqual(recount);
  });

  it("leave a ticket out once merged into another, and count it again when taken out", async () => {
    const [into, merged] = [bug("Pixel 8"), bug("Galaxy S23", 1)];
    await insertTickets(t.db.sql, [into!, merged!]);
    await t.backend.grouping.merge(into!.id, [merged!.id], { actor: "ops", reason: "same crash" });
    const afterMerge = await panelRollupsAndRecount(t);
    expect(afterMerge.rollups).toEqual(afterMerge.recount);
    await t.backend.grouping.unmerge(into!.id, merged!.item.sourceId, { actor: "ops", reason: "not the same" });
    const { rollups, recount } = await panelRollupsAndRecount(t);
    expect(rollups).toEqual(recount);
  });

  it("drop deleted tickets", async () => {
    const [gone, kept] = [bug("Pixel 8"), featureRequest("tags")];
    await insertTickets(t.db.sql, [gone!, kept!]);
    await t.db.sql.query("DELETE FROM tickets WHERE id = $1", [gone!.id]);
    const { rollups, recount } = await panelRollupsAndRecount(t);
    expect(rollups).toEqual(recount);
  });

  it("follow a person's data erased from their items and tickets", async () => {
    const theirs = makeNewTicket({
      item: makeItem({ author: "Ann Lee", text: "Ann Lee here: it crashes.", rating: 1 }),
      technicalDetails: { appVersion: "4.2.0", platform: "iOS", device: "Ann Lee's iPhone" },
    });
    await insertTickets(t.db.sql, [theirs, bug("Pixel 8")]);
    const store = new SqlPersonalDataStore(t.db.sql, { queueInDatabase: true });
    const audit = { requestId: randomUUID(), actor: "dpo", subjectHash: "0".repeat(64), salt: "s" };
    await store.erase({ value: "ann lee", kind: "name" }, { dryRun: false, audit });
    const { rollups, recount } = await panelRollupsAndRecount(t);
    expect(rollups).toEqual(recount);
  });

  it("follow a store review's new rating to its ticket", async () => {
    const review = bug("Pixel 8", 1);
    await insertTickets(t.db.sql, [review]);
    await new SqlStoreSourceStore(t.db.sql).reviseItems(
      [{ ...review.item, text: "Works now.", rating: 4, contentHash: "b".repeat(64) }],
      { actor: "store-pull:game", reason: "edited" },
    );
    const { rollups, recount } = await panelRollupsAndRecount(t);
    expect(rollups).toEqual(recount);
    expect(rollups).toContainEqual(expect.objectContaining({ panel: "rating", value: "4", n: 1 }));
  });

  it("give the analytics panels what a scan of the tickets gives", async () => {
    await insertTickets(t.db.sql, [
      bug("Pixel 8"),
      bug(" Pixel 8", 3),
      bug("iPhone 14", null),
      featureRequest("dark mode"),
      featureRequest("Widgets", 1),
      ticket({ category: "Praise" }),
    ]);
    const query = { dateBy: "submitted" as const, priority: ["High" as const] };
    // Midnight is a whole day the rollups answer; a millisecond later only the tickets can (all are at 10:00).
    const fromRollups = await t.backend.insights.analytics(
      TicketQuery.parse({ ...query, since: new Date("2026-11-30T00:00:00.000Z") }),
      "day",
    );
    const scanned = await t.backend.insights.analytics(
      TicketQuery.parse({ ...query, since: new Date("2026-11-30T00:00:00.001Z") }),
      "day",
    );
    expect(fromRollups).toEqual(scanned);
    expect(fromRollups.bugHotspots.device).toContainEqual({ label: "Pixel 8", count: 1 });
  });
});
