import { PRIORITIES } from "../schemas/feedback.js";
import type { TicketQuery } from "../schemas/ticket.js";

/**
 * Text search: the words of source id, title and description, each matched as a prefix ("crash" finds
 * "crashes"), all of them required. The search text is split into words by the same text-search parser
 * (so "XSS-1" or "o'reilly" match as they were indexed); backed by the GIN index tickets_search_idx,
 * which is built on exactly this expression. Text without any word matches nothing.
 */
export const SEARCH_VECTOR = `to_tsvector('simple', t.source_id || ' ' || t.title || ' ' || t.description)`;

/**
 * The feedback's own time, else when it was triaged: what trends bucket by and `dateBy: "submitted"` ranges over.
 * Backed by the expression index tickets_feedback_time_idx (migration 20261208000000_ticket_submitted_at_app).
 */
export const FEEDBACK_TIME = "COALESCE(t.submitted_at, t.created_at)";

export function searchQuerySql(param: string): string {
  // Cast, not to_tsquery(): to_tsquery would parse each word again, and "421e8cbe" (a word of a UUID) would
  // become the number "421e8" followed by "cbe", which the indexed text never contains.
  return `((SELECT string_agg(quote_literal(w) || ':*', ' & ') FROM unnest(tsvector_to_array(to_tsvector('simple', ${param}))) AS w))::tsquery`;
}

/**
 * Conditions on table alias `t` (joined with AND); values go to `params` as $n placeholders. A ticket folded
 * into another's group (merged_into set) is that group's item, not a ticket of its own: never matched.
 */
/** Clauses over `params`: `bind` adds a value and names its placeholder, `inList` adds `column IN (...)` when given values. */
export function conditionBuilder(params: unknown[], clauses: string[] = []) {
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const inList = (column: string, values: readonly (string | number)[] | undefined) => {
    if (values?.length) clauses.push(`${column} IN (${values.map(bind).join(", ")})`);
  };
  return { clauses, bind, inList };
}

export function ticketConditions(query: TicketQuery, params: unknown[]): string[] {
  const { clauses, bind, inList } = conditionBuilder(params, ["t.merged_into IS NULL"]);
  // The stored rank (Critical 0 ... Low 3), not the text: the (priority_rank, created_at DESC, id DESC) index then
  // serves a priority filter in either time order, and no index on the text is needed (migration 20261214000100).
  inList(
    "t.priority_rank",
    query.priority?.map((p) => PRIORITIES.indexOf(p)),
  );
  inList("t.category", query.category);
  inList("t.status", query.status);
  inList("t.source_type", query.sourceType);
  inList("t.language", query.language);
  inList("t.app", query.app);
  const time = query.dateBy === "submitted" ? FEEDBACK_TIME : "t.created_at";
  if (query.since) clauses.push(`${time} >= ${bind(query.since.toISOString())}::timestamptz`);
  if (query.until) clauses.push(`${time} < ${bind(query.until.toISOString())}::timestamptz`);
  if (query.search) clauses.push(`${SEARCH_VECTOR} @@ ${searchQuerySql(bind(query.search))}`);
  return clauses;
}

export function whereSql(clauses: readonly string[]): string {
  return clauses.length ? `WHERE ${clauses.join(" AND ")}` : "";
}

/** ORDER BY matching the SDK repository's order (priority "desc" = Critical first; stable ties). */
export function ticketOrderSql(query: TicketQuery): string {
  const dir = query.sortOrder === "asc" ? "ASC" : "DESC";
  switch (query.sortBy) {
    case "priority":
      return query.sortOrder === "desc"
        ? "ORDER BY t.priority_rank ASC, t.created_at DESC, t.id DESC"
        : "ORDER BY t.priority_rank DESC, t.created_at DESC, t.id DESC";
    case "createdAt":
      return `ORDER BY t.created_at ${dir}, t.id ${dir}`;
    case "updatedAt":
      return `ORDER BY t.updated_at ${dir}, t.id ${dir}`;
    case "confidence":
      return `ORDER BY t.confidence ${dir}, t.id ${dir}`;
    case "category":
      return `ORDER BY t.category ${dir}, t.id ${dir}`;
  }
}
