import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewTicket } from "../../../sdk/ports/tickets.js";
import { TicketQuery } from "../../../sdk/schemas/ticket.js";
import { SqlPersonalDataStore } from "../../../sdk/store/personal-data-store.js";
import { SqlStoreSourceStore } from "../../../sdk/store/store-source-store.js";
import { rollupConditions } from "../../../sdk/store/ticket-rollups.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeNewTicket } from "../../support/factories.js";

/** Every day this suite's tickets are triaged or written on, as whole UTC days the rollups answer. */
const ALL_DAYS = { since: new Date("2000-01-01T00:00:00.000Z"), until: new Date("2100-01-01T00:00:00.000Z") };
const aMillisecondLater = (date: Date) => new Date(date.getTime() + 1);

/**
 * The analytics page over a range by triage date: read from the rollups (whole days), and over the same range a
 * millisecond later, which only a scan of the tickets answers (no ticket is triaged on that millisecond).
 */
async function triageAnalytics(t: TestBackend, range = ALL_DAYS, granularity: "day" | "week" = "day") {
  const analytics = (since: Date, until: Date) =>
    t.backend.insights.analytics(TicketQuery.parse({ dateBy: "created", since, until }), granularity);
  const [fromRollups, scanned] = await Promise.all([
    analytics(range.since, range.until),
    analytics(aMillisecondLater(range.since), aMillisecondLater(range.until)),
  ]);
  return { fromRollups, scanned };
}

/**
 * What the rollups hold and the triage-date analytics they give, and what a full scan of the listed tickets says
 * they should be.
 */
async function rollupsAndRecount(t: TestBackend) {
  const key = `(COALESCE(submitted_at, created_at) AT TIME ZONE 'UTC')::date::text AS day,
    (created_at AT TIME ZONE 'UTC')::date::text AS created_day, app, source_type, language, category, priority, status`;
  const [rollups, recount] = await Promise.all([
    t.db.sql.query(
      `SELECT day::text, created_day::text, app, source_type, language, category, priority, status, n,
              round(confidence_sum::numeric, 6)::text AS confidence
       FROM ticket_rollups WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`,
    ),
    t.db.sql.query(
      `SELECT ${key}, count(*)::int AS n, round(sum(confidence)::numeric, 6)::text AS confidence
       FROM tickets WHERE merged_into IS NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`,
    ),
  ]);
  const { fromRollups, scanned } = await triageAnalytics(t);
  return {
    rollups: { groups: rollups.rows, triageAnalytics: fromRollups },
    recount: { groups: recount.rows, triageAnalytics: scanned },
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
    expect(rollups.groups).toHaveLength(2);
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
 * The analytics panels' rollups and the triage-date analytics, and a recount of the listed tickets as the panels
 * scanned them before the rollups (the rating from the ticket's feedback item, the feature and the bug details from
 * its technical details) and the analytics a scan gives.
 */
async function panelRollupsAndRecount(t: TestBackend) {
  const key = `day, created_day, app, source_type, language, category, priority, status`;
  const [rollups, recount] = await Promise.all([
    t.db.sql.query(
      `SELECT day::text, created_day::text, app, source_type, language, category, priority, status, panel, value, n
       FROM ticket_panel_rollups WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`,
    ),
    t.db.sql.query(
      `WITH listed AS (
         SELECT (COALESCE(t.submitted_at, t.created_at) AT TIME ZONE 'UTC')::date::text AS day,
                (t.created_at AT TIME ZONE 'UTC')::date::text AS created_day, t.app, t.source_type,
                t.language, t.category, t.priority, t.status, t.technical_details AS d, fi.payload->>'rating' AS rating
         FROM tickets t LEFT JOIN feedback_items fi ON fi.id = t.feedback_item_id WHERE t.merged_into IS NULL)
       SELECT ${key}, 'rating' AS panel, CASE WHEN rating ~ '^[1-5]$' THEN rating END AS value, count(*)::int AS n
       FROM listed GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
       UNION ALL
       SELECT ${key}, 'feature', lower(btrim(COALESCE(NULLIF(d->>'requestedCapability', ''), NULLIF(d->>'affectedFeature', '')))), count(*)::int
       FROM listed WHERE category = 'Feature Request' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
       UNION ALL
       SELECT ${key}, 'appVersion', d->>'appVersion', count(*)::int FROM listed WHERE category = 'Bug' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
       UNION ALL
       SELECT ${key}, 'platform', d->>'platform', count(*)::int FROM listed WHERE category = 'Bug' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
       UNION ALL
       SELECT ${key}, 'device', d->>'device', count(*)::int FROM listed WHERE category = 'Bug' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
       ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`,
    ),
  ]);
  const { fromRollups, scanned } = await triageAnalytics(t);
  return {
    rollups: { groups: rollups.rows, triageAnalytics: fromRollups },
    recount: { groups: recount.rows, triageAnalytics: scanned },
  };
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
    expect(rollups.groups).toContainEqual(expect.objectContaining({ panel: "feature", value: "dark mode", n: 2 }));
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
    expect(rollups.groups).toContainEqual(expect.objectContaining({ panel: "rating", value: "4", n: 1 }));
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

  it("give the analytics page over a range by triage date what a scan gives, by the UTC day of triage", async () => {
    const [dayBefore, firstDay, inside, untilDay] = [
      bug("Pixel 8"),
      bug("iPhone 14", 4),
      featureRequest("tags"),
      bug("Pixel 8"),
    ];
    await insertTickets(t.db.sql, [dayBefore!, firstDay!, inside!, untilDay!]);
    for (const [{ id }, createdAt] of [
      [dayBefore!, "2026-12-01T23:59:59.500Z"],
      [firstDay!, "2026-12-02T00:00:00.500Z"],
      [inside!, "2026-12-05T12:00:00.000Z"],
      [untilDay!, "2026-12-09T00:00:00.500Z"],
    ] as const)
      await t.db.sql.query("UPDATE tickets SET created_at = $2::timestamptz WHERE id = $1", [id, createdAt]);
    const range = { since: new Date("2026-12-02T00:00:00.000Z"), until: new Date("2026-12-09T00:00:00.000Z") };
    const { fromRollups, scanned } = await triageAnalytics(t, range, "week");
    expect(fromRollups).toEqual(scanned);
    // Bucketed by the feedback's own week (2026-11-30), as the scan buckets, whichever date the range is over.
    expect(fromRollups).toMatchObject({ total: 2, overTime: [{ bucket: "2026-11-30" }] });
  });
});

describe("rollupConditions", () => {
  it("range over the triage day unless the range is by the feedback's own date", () => {
    const since = new Date("2026-12-02T00:00:00.000Z");
    expect(rollupConditions({ since }, [])).toEqual(["r.created_day >= $1::date"]);
    expect(rollupConditions({ dateBy: "created", since }, [])).toEqual(["r.created_day >= $1::date"]);
    expect(rollupConditions({ dateBy: "submitted", since }, [])).toEqual(["r.day >= $1::date"]);
  });

  it("leave a range within days to the tickets", () => {
    expect(rollupConditions({ dateBy: "created", since: new Date("2026-12-02T00:00:00.001Z") }, [])).toBeNull();
  });
});
