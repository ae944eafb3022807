import type { SqlExecutor } from "../db/sql.js";
import type {
  AnalyticsData,
  CrewRouting,
  ModelUsage,
  OverviewFilter,
  OverviewStats,
  TicketInsights,
} from "../ports/ticket-insights.js";
import type { TicketPage } from "../ports/tickets.js";
import {
  CATEGORIES,
  type Category,
  FeedbackItem,
  PRIORITIES,
  type Priority,
  type SourceType,
} from "../schemas/feedback.js";
import {
  type TechnicalDetails,
  TICKET_STATUSES,
  type Ticket,
  type TicketQuery,
  type TicketStatus,
} from "../schemas/ticket.js";
import { crewRouting, modelUsage } from "./model-usage.js";
import {
  type PanelCount,
  type RollupBucket,
  rollupConditions,
  rollupOverTime,
  rollupPanels,
  rollupTotal,
} from "./ticket-rollups.js";
import { FEEDBACK_TIME, ticketConditions, ticketOrderSql, whereSql } from "./ticket-sql.js";

/**
 * The ticket read model: paged and aggregate reads in SQL over the tickets table and its indexes (the
 * same PostgreSQL or PGlite the ticket store writes), shaped as the SDK's types. One query serves the
 * CLI, the dashboard and the export, so the same filter finds the same tickets everywhere.
 */

/** Counting stops here: "more than 10,000" is as useful as an exact figure and costs a bounded scan. */
export const COUNT_CAP = 10_000;
/** Days of the overview's items-per-day chart. */
export const OVERVIEW_DAYS = 30;

const TICKET_COLUMNS = `t.id::text AS id, t.source_type, t.source_id, t.channel, t.title, t.description, t.category,
  t.priority, t.confidence, t.technical_details, t.status, t.quality_score, t.review_reasons, t.language,
  t.submitted_at, t.app, t.content_hash, t.reach, t.version, t.created_at, t.updated_at`;

/** A row of our own tickets table: its CHECK constraints hold the enums and ranges, so it is typed, not re-validated. */
interface TicketRow {
  id: string;
  source_type: SourceType;
  source_id: string;
  channel: string | null;
  title: string;
  description: string;
  category: Category;
  priority: Priority;
  confidence: number;
  technical_details: TechnicalDetails | null;
  status: TicketStatus;
  quality_score: number | null;
  review_reasons: string[] | null;
  language: string | null;
  submitted_at: Date | string | null;
  app: string | null;
  content_hash: string;
  reach: number;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    sourceType: row.source_type,
    sourceId: row.source_id,
    channel: row.channel,
    title: row.title,
    description: row.description,
    category: row.category,
    priority: row.priority,
    confidence: Number(row.confidence),
    technicalDetails: row.technical_details ?? {},
    status: row.status,
    qualityScore: row.quality_score,
    reviewReasons: row.review_reasons ?? [],
    language: row.language,
    submittedAt: row.submitted_at === null ? null : iso(row.submitted_at),
    app: row.app,
    contentHash: row.content_hash,
    reach: row.reach,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export async function listTickets(sql: SqlExecutor, query: TicketQuery): Promise<TicketPage> {
  const params: unknown[] = [];
  const where = whereSql(ticketConditions(query, params));
  const pageParams = [...params, query.limit, query.offset];
  const [rows, exact] = await Promise.all([
    sql.query<TicketRow>(
      `SELECT ${TICKET_COLUMNS} FROM tickets t ${where} ${ticketOrderSql(query)}
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      pageParams,
    ),
    rollupTotal(sql, query),
  ]);
  if (exact !== null) return { items: rows.rows.map(toTicket), total: exact, totalCapped: false };
  // A text search or a time range within days: counted on the tickets, up to a cap.
  const count = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM tickets t ${where} LIMIT ${COUNT_CAP + 1}) capped`,
    params,
  );
  const n = count.rows[0]?.n ?? 0;
  return { items: rows.rows.map(toTicket), total: Math.min(n, COUNT_CAP), totalCapped: n > COUNT_CAP };
}

/** Ids of the tickets a bulk action applies to, oldest first, at most `limit`. */
export async function matchingTicketIds(
  sql: SqlExecutor,
  query: TicketQuery,
  limit: number,
): Promise<{ ids: string[]; more: boolean }> {
  const params: unknown[] = [];
  const where = whereSql(ticketConditions(query, params));
  const { rows } = await sql.query<{ id: string }>(
    `SELECT t.id::text AS id FROM tickets t ${where} ORDER BY t.created_at ASC, t.id ASC LIMIT ${limit + 1}`,
    params,
  );
  return { ids: rows.slice(0, limit).map((r) => r.id), more: rows.length > limit };
}

/** A query with no conditions, for reads that take only some of the filters. */
const DEFAULT_QUERY: TicketQuery = { limit: 1, offset: 0, sortBy: "createdAt", sortOrder: "desc" };

const zeros = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<string, number>;

/**
 * The overview from the rollups (a few thousand groups at most, whatever the number of tickets), grouped by
 * (category, priority, status, day-if-recent) and folded into every figure here; only "created in the last 24 h"
 * reads the tickets, over the created_at index. The day is the feedback's own (COALESCE(submitted_at,
 * created_at)); `filter.app` keeps the tickets of those apps only.
 */
export async function overviewStats(
  sql: SqlExecutor,
  now = new Date(),
  filter: OverviewFilter = {},
): Promise<OverviewStats> {
  const firstDay = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (OVERVIEW_DAYS - 1) * 86_400_000,
  );
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const params: unknown[] = [firstDay.toISOString().slice(0, 10)];
  const appFilter = (rollupConditions({ app: filter.app }, params) ?? []).map((clause) => `AND ${clause}`).join(" ");
  const recentParams: unknown[] = [dayAgo.toISOString()];
  const recentWhere = whereSql([
    ...ticketConditions({ ...DEFAULT_QUERY, app: filter.app }, recentParams),
    "t.created_at >= $1::timestamptz",
  ]);
  const [grouped, recent] = await Promise.all([
    sql.query<{
      category: string;
      priority: string;
      status: string;
      day: string | null;
      n: number;
      confidence: number;
    }>(
      `SELECT r.category, r.priority, r.status, CASE WHEN r.day >= $1::date THEN r.day::text END AS day,
              sum(r.n)::int AS n, sum(r.confidence_sum)::float8 AS confidence
       FROM ticket_rollups r WHERE r.n <> 0 ${appFilter} GROUP BY 1, 2, 3, 4`,
      params,
    ),
    sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets t ${recentWhere}`, recentParams),
  ]);
  const rows = grouped.rows;
  const byCategory = zeros(CATEGORIES);
  const byPriority = zeros(PRIORITIES);
  const byStatus = zeros(TICKET_STATUSES);
  const days = new Map<string, Record<string, number>>();
  for (let i = 0; i < OVERVIEW_DAYS; i++)
    days.set(new Date(firstDay.getTime() + i * 86_400_000).toISOString().slice(0, 10), zeros(CATEGORIES));
  let total = 0;
  let confidenceSum = 0;
  let openCritical = 0;
  const createdLast24h = recent.rows[0]?.n ?? 0;
  for (const row of rows) {
    const priority = row.priority;
    total += row.n;
    confidenceSum += Number(row.confidence);
    byCategory[row.category] = (byCategory[row.category] ?? 0) + row.n;
    byPriority[priority] = (byPriority[priority] ?? 0) + row.n;
    byStatus[row.status] = (byStatus[row.status] ?? 0) + row.n;
    if (priority === "Critical" && (row.status === "open" || row.status === "needs_review")) openCritical += row.n;
    const day = row.day ? days.get(row.day) : undefined;
    if (day) day[row.category] = (day[row.category] ?? 0) + row.n;
  }
  return {
    total,
    byCategory,
    byPriority,
    byStatus,
    openCritical,
    averageConfidence: total ? confidenceSum / total : null,
    needsReviewShare: total ? (byStatus.needs_review ?? 0) / total : null,
    perDay: [...days].map(([day, counts]) => ({
      day,
      byCategory: counts,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
    })),
    createdLast24h,
    computedAt: now.toISOString(),
  };
}

const UNKNOWN = "(unknown)";

const HOTSPOTS = ["appVersion", "platform", "device"] as const;

/**
 * The panels' counts scanned from the tickets, for a filter the rollups cannot answer: the same rows as
 * rollupPanels (the features' first 11 only). Three narrow queries rather than the rollups' one function per
 * ticket, which costs a scan nearly twice as much.
 */
async function scannedPanels(sql: SqlExecutor, conditions: string[], params: unknown[]): Promise<PanelCount[]> {
  const whereAnd = (extra: string) => whereSql([...conditions, extra]);
  const features = await sql.query<PanelCount>(
    `SELECT 'feature' AS panel, ticket_feature_label(t.technical_details) AS value, count(*)::int AS n
     FROM tickets t ${whereAnd(`t.category = 'Feature Request'`)} GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT 11`,
    params,
  );
  const hotspots = await sql.query<PanelCount>(
    `WITH bugs AS MATERIALIZED (SELECT t.technical_details AS d FROM tickets t ${whereAnd(`t.category = 'Bug'`)})
     ${HOTSPOTS.map((dim) => `SELECT '${dim}' AS panel, d->>'${dim}' AS value, count(*)::int AS n FROM bugs GROUP BY 2`).join(" UNION ALL ")}`,
    params,
  );
  const ratings = await sql.query<PanelCount>(
    `SELECT 'rating' AS panel, t.rating::text AS value, count(*)::int AS n FROM tickets t ${whereSql(conditions)} GROUP BY 2`,
    params,
  );
  return [...features.rows, ...hotspots.rows, ...ratings.rows];
}

export async function analytics(
  sql: SqlExecutor,
  query: TicketQuery,
  granularity: "day" | "week",
): Promise<AnalyticsData> {
  const params: unknown[] = [];
  const conditions = ticketConditions(query, params);
  const overTime = {
    rows:
      (await rollupOverTime(sql, query, granularity)) ??
      (
        await sql.query<RollupBucket>(
          `SELECT to_char(date_trunc('${granularity}', ${FEEDBACK_TIME} AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS bucket,
                  t.category, t.priority, count(*)::int AS n
           FROM tickets t ${whereSql(conditions)} GROUP BY 1, 2, 3 ORDER BY 1`,
          params,
        )
      ).rows,
  };
  const panels = (await rollupPanels(sql, query)) ?? (await scannedPanels(sql, conditions, params));
  const panel = (name: string) => panels.filter((r) => r.panel === name);

  const buckets = new Map<string, { byCategory: Record<string, number>; byPriority: Record<string, number> }>();
  let total = 0;
  for (const row of overTime.rows) {
    let bucket = buckets.get(row.bucket);
    if (!bucket) {
      bucket = { byCategory: zeros(CATEGORIES), byPriority: zeros(PRIORITIES) };
      buckets.set(row.bucket, bucket);
    }
    bucket.byCategory[row.category] = (bucket.byCategory[row.category] ?? 0) + row.n;
    bucket.byPriority[row.priority] = (bucket.byPriority[row.priority] ?? 0) + row.n;
    total += row.n;
  }
  const top = (dim: string) =>
    panel(dim)
      .map((r) => ({ label: r.value?.trim() || UNKNOWN, count: r.n }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
      .slice(0, 10);
  const ratingCounts = new Map<string, number>();
  for (const row of panel("rating")) {
    const key = row.value && /^[1-5]$/.test(row.value) ? `${row.value}★` : "no rating";
    ratingCounts.set(key, (ratingCounts.get(key) ?? 0) + row.n);
  }
  return {
    granularity,
    overTime: [...buckets].map(([bucket, counts]) => ({ bucket, ...counts })),
    topFeatures: panel("feature")
      .slice(0, 11)
      .filter((r) => r.value)
      .slice(0, 10)
      .map((r) => ({ label: r.value as string, count: r.n })),
    bugHotspots: { appVersion: top("appVersion"), platform: top("platform"), device: top("device") },
    ratings: ["1★", "2★", "3★", "4★", "5★", "no rating"].map((rating) => ({
      rating,
      count: ratingCounts.get(rating) ?? 0,
    })),
    total,
  };
}

export async function latestFeedbackAt(sql: SqlExecutor, query: TicketQuery): Promise<Date | null> {
  const params: unknown[] = [];
  const { rows } = await sql.query<{ latest: Date | string | null }>(
    `SELECT max(${FEEDBACK_TIME}) AS latest FROM tickets t ${whereSql(ticketConditions(query, params))}`,
    params,
  );
  const latest = rows[0]?.latest ?? null;
  return latest === null ? null : new Date(latest);
}

/** One key of a keyset order: the SQL expression, its direction and its type (for binding the cursor back). */
interface KeysetKey {
  expr: string;
  dir: "ASC" | "DESC";
  type: string;
}

/** The order of `ticketOrderSql` as keys (every order ends on the unique id, so the cursor is exact). */
function keysetKeys(query: TicketQuery): KeysetKey[] {
  const dir = query.sortOrder === "asc" ? "ASC" : "DESC";
  const key = (expr: string, type: string, d: "ASC" | "DESC" = dir): KeysetKey => ({ expr, dir: d, type });
  const byId = key("t.id", "uuid");
  switch (query.sortBy) {
    case "priority":
      return [
        key("t.priority_rank", "smallint", query.sortOrder === "desc" ? "ASC" : "DESC"),
        key("t.created_at", "timestamptz", "DESC"),
        key("t.id", "uuid", "DESC"),
      ];
    case "createdAt":
      return [key("t.created_at", "timestamptz"), byId];
    case "updatedAt":
      return [key("t.updated_at", "timestamptz"), byId];
    case "confidence":
      return [key("t.confidence", "float8"), byId];
    case "category":
      return [key("t.category", "text"), byId];
  }
}

/**
 * "After the cursor" in the keys' order. Keys in one direction compare as a row, which an index on them
 * serves as a range; mixed directions (priority) expand to (k0 past c0) OR (k0 = c0 AND k1 past c1) ...,
 * with the leading key also bounded so that the index still limits the scan.
 */
function afterCursorSql(keys: readonly KeysetKey[], cursor: readonly string[], params: unknown[]): string {
  const bound = keys.map((k, i) => {
    params.push(cursor[i]);
    return `$${params.length}::${k.type}`;
  });
  const past = (k: KeysetKey) => (k.dir === "ASC" ? ">" : "<");
  if (keys.every((k) => k.dir === keys[0]!.dir))
    return `(${keys.map((k) => k.expr).join(", ")}) ${past(keys[0]!)} (${bound.join(", ")})`;
  const alternatives = keys.map((k, i) => {
    const equal = keys.slice(0, i).map((e, j) => `${e.expr} = ${bound[j]}`);
    return [...equal, `${k.expr} ${past(k)} ${bound[i]}`].join(" AND ");
  });
  return `${keys[0]!.expr} ${past(keys[0]!)}= ${bound[0]} AND (${alternatives.map((a) => `(${a})`).join(" OR ")})`;
}

/**
 * Every ticket the query matches (its limit and offset ignored), in its order, page by page by keyset:
 * each page is one index-backed query whose cost does not grow with the pages before it, and memory
 * holds one page. The cursor travels as the keys' text (timestamps keep their microseconds).
 */
export async function* streamTickets(sql: SqlExecutor, query: TicketQuery, pageSize = 2000): AsyncGenerator<Ticket[]> {
  const keys = keysetKeys(query);
  const cursorColumns = keys.map((k, i) => `${k.expr}::text AS k${i}`).join(", ");
  let cursor: string[] | null = null;
  for (;;) {
    const params: unknown[] = [];
    const conditions = ticketConditions(query, params);
    if (cursor) conditions.push(afterCursorSql(keys, cursor, params));
    // The page as one JSON text: parsed by JSON.parse in one go, 2-3x faster than the drivers' per-value parsing.
    const { rows } = await sql.query<{ page: string | null }>(
      `SELECT json_agg(p)::text AS page FROM (
         SELECT ${TICKET_COLUMNS}, ${cursorColumns} FROM tickets t ${whereSql(conditions)}
         ${ticketOrderSql(query)} LIMIT ${pageSize}) p`,
      params,
    );
    const page = JSON.parse(rows[0]?.page ?? "[]") as (TicketRow & Record<string, string>)[];
    if (page.length === 0) return;
    yield page.map(toTicket);
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    cursor = keys.map((_, i) => last[`k${i}`]!);
  }
}

/** The stored feedback items with these source ids (the Quality page without uploaded source files), erased ones left out. */
export async function storedFeedbackItems(sql: SqlExecutor, sourceIds: readonly string[]): Promise<FeedbackItem[]> {
  const items: FeedbackItem[] = [];
  for (let i = 0; i < sourceIds.length; i += 1000) {
    const { rows } = await sql.query<{ payload: unknown }>(
      `SELECT payload FROM feedback_items WHERE source_id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY source_id`,
      [JSON.stringify(sourceIds.slice(i, i + 1000))],
    );
    for (const row of rows) {
      // An item erased on request (privacy erase) keeps a marker for its text: nothing to evaluate.
      if ((row.payload as { redacted?: unknown } | null)?.redacted) continue;
      const parsed = FeedbackItem.safeParse(row.payload);
      if (parsed.success) items.push(parsed.data);
    }
  }
  return items;
}

/** Aggregates and exports for the dashboard and reports. */
export class SqlTicketInsights implements TicketInsights {
  constructor(private readonly sql: SqlExecutor) {}

  overview(now?: Date, filter?: OverviewFilter): Promise<OverviewStats> {
    return overviewStats(this.sql, now, filter);
  }

  analytics(query: TicketQuery, granularity: "day" | "week"): Promise<AnalyticsData> {
    return analytics(this.sql, query, granularity);
  }

  latestFeedbackAt(query: TicketQuery): Promise<Date | null> {
    return latestFeedbackAt(this.sql, query);
  }

  storedFeedbackItems(sourceIds: readonly string[]): Promise<FeedbackItem[]> {
    return storedFeedbackItems(this.sql, sourceIds);
  }

  modelUsage(): Promise<ModelUsage> {
    return modelUsage(this.sql);
  }

  crewRouting(): Promise<CrewRouting> {
    return crewRouting(this.sql);
  }
}
