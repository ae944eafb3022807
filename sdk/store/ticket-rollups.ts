import type { SqlExecutor } from "../db/sql.js";
import type { TicketCounts } from "../ports/tickets.js";
import type { TicketQuery } from "../schemas/ticket.js";
import { conditionBuilder } from "./ticket-sql.js";

/**
 * Reads of `ticket_rollups` (migration 20261210000100): counts of the listed tickets by feedback day, triage day
 * (`created_day`, migration 20261215000000), app, source type, language, category, priority and status, kept current
 * by triggers in the transaction that writes the tickets. They answer counts and trends in time bounded by the
 * number of groups, not of tickets.
 */

const isMidnightUtc = (date: Date) => date.getTime() % 86_400_000 === 0;
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/**
 * `query`'s filter over the rollups (alias `r`), or null when only the tickets can answer it: a text search, or a
 * time range that is not whole UTC days. The range is over the day of the date `query.dateBy` names, as
 * ticketConditions ranges over that time: the feedback's own (`day`) or the triage's (`created_day`, the default).
 */
export function rollupConditions(
  query: Omit<TicketQuery, "limit" | "offset" | "sortBy" | "sortOrder">,
  params: unknown[],
): string[] | null {
  if (query.search) return null;
  const { since, until } = query;
  if ((since && !isMidnightUtc(since)) || (until && !isMidnightUtc(until))) return null;
  const { clauses, bind, inList } = conditionBuilder(params);
  inList("r.priority", query.priority);
  inList("r.category", query.category);
  inList("r.status", query.status);
  inList("r.source_type", query.sourceType);
  inList("r.language", query.language);
  inList("r.app", query.app);
  const day = query.dateBy === "submitted" ? "r.day" : "r.created_day";
  if (since) clauses.push(`${day} >= ${bind(dayOf(since))}::date`);
  if (until) clauses.push(`${day} < ${bind(dayOf(until))}::date`);
  return clauses;
}

const where = (clauses: readonly string[]) => (clauses.length ? `WHERE ${clauses.join(" AND ")}` : "");

/** Tickets of their own (merged ones left out) by priority, category and status. */
export async function rollupCounts(sql: SqlExecutor): Promise<TicketCounts> {
  const { rows } = await sql.query<{ priority: string; category: string; status: string; n: number }>(
    `SELECT priority, category, status, sum(n)::int AS n FROM ticket_rollups GROUP BY 1, 2, 3 HAVING sum(n) > 0`,
  );
  const byPriority: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  let total = 0;
  for (const row of rows) {
    total += row.n;
    byPriority[row.priority] = (byPriority[row.priority] ?? 0) + row.n;
    byCategory[row.category] = (byCategory[row.category] ?? 0) + row.n;
    byStatus[row.status] = (byStatus[row.status] ?? 0) + row.n;
  }
  return { total, byPriority, byCategory, byStatus };
}

/** How many tickets match `query`, exactly; null when the rollups cannot say (see rollupConditions). */
export async function rollupTotal(sql: SqlExecutor, query: TicketQuery): Promise<number | null> {
  const params: unknown[] = [];
  const conditions = rollupConditions(query, params);
  if (!conditions) return null;
  const { rows } = await sql.query<{ n: number }>(
    `SELECT COALESCE(sum(r.n), 0)::int AS n FROM ticket_rollups r ${where(conditions)}`,
    params,
  );
  return rows[0]?.n ?? 0;
}

export interface RollupBucket {
  bucket: string;
  category: string;
  priority: string;
  n: number;
}

/**
 * Tickets per day or week of the feedback's own date (whichever date the range is over, as the scan buckets), by
 * category and priority; null as for rollupTotal.
 */
export async function rollupOverTime(
  sql: SqlExecutor,
  query: TicketQuery,
  granularity: "day" | "week",
): Promise<RollupBucket[] | null> {
  const params: unknown[] = [];
  const conditions = rollupConditions(query, params);
  if (!conditions) return null;
  const { rows } = await sql.query<RollupBucket>(
    `SELECT to_char(date_trunc('${granularity}', r.day::timestamp), 'YYYY-MM-DD') AS bucket, r.category, r.priority,
            sum(r.n)::int AS n
     FROM ticket_rollups r ${where(conditions)} GROUP BY 1, 2, 3 HAVING sum(r.n) > 0 ORDER BY 1`,
    params,
  );
  return rows;
}

/** A count of the analytics page's panels: `panel` is rating, feature, appVersion, platform or device. */
export interface PanelCount {
  panel: string;
  value: string | null;
  n: number;
}

/**
 * The analytics panels' counts from `ticket_panel_rollups` (migration 20261214000000), by panel, most first, then
 * by value; null as for rollupTotal.
 */
export async function rollupPanels(sql: SqlExecutor, query: TicketQuery): Promise<PanelCount[] | null> {
  const params: unknown[] = [];
  const conditions = rollupConditions(query, params);
  if (!conditions) return null;
  const { rows } = await sql.query<PanelCount>(
    `SELECT r.panel, r.value, sum(r.n)::int AS n
     FROM ticket_panel_rollups r ${where(conditions)} GROUP BY 1, 2 HAVING sum(r.n) > 0 ORDER BY 1, 3 DESC, 2`,
    params,
  );
  return rows;
}
