import type { SqlExecutor } from "../db/sql.js";
import type { NewTicket } from "../ports/tickets.js";
import { canonicalPlatform, withCanonicalPlatform } from "../schemas/platform.js";
import { toStep } from "./processing-log.js";

// One statement per batch on the hot path: Prisma's createMany costs ~8x more CPU than the database
// does (measured, see BENCHMARKS.md). The whole batch travels as one jsonb parameter.
/** The batch's columns, in the order of TicketRow's keys. */
export const TICKET_ROW_COLUMNS = `
    id uuid, source_type text, source_id text, channel text, content_hash text, payload jsonb,
    title text, description text, category text, priority text, confidence float8,
    technical_details jsonb, status text, quality_score int, review_reasons jsonb, language text,
    submitted_at timestamptz, app text, logs jsonb, message_id text, versions jsonb, platforms jsonb, quotes jsonb`;

/** The batch's write, reading its rows from `input` (a query yielding TICKET_ROW_COLUMNS). */
export const insertBatchSql = (input: string) => `
WITH input AS (${input}), items AS (
  INSERT INTO feedback_items (id, source_type, source_id, channel, content_hash, payload)
  SELECT id, source_type, source_id, channel, content_hash, payload FROM input
  ON CONFLICT (source_type, source_id) DO NOTHING
  RETURNING id
), created AS (
  INSERT INTO tickets (id, source_type, source_id, channel, title, description, category, priority, confidence,
                       technical_details, status, quality_score, review_reasons, language, submitted_at, app,
                       content_hash, feedback_item_id, rating, first_seen_at, last_seen_at, versions, platforms, quotes)
  SELECT i.id, i.source_type, i.source_id, i.channel, i.title, i.description, i.category, i.priority, i.confidence,
         i.technical_details, i.status, i.quality_score, i.review_reasons, i.language, i.submitted_at, i.app,
         i.content_hash, items.id, feedback_rating(i.payload), COALESCE(i.submitted_at, now()), COALESCE(i.submitted_at, now()),
         i.versions, i.platforms, i.quotes
  FROM input i JOIN items ON items.id = i.id
  ON CONFLICT (source_type, source_id) DO NOTHING
  RETURNING id
), linked AS (
  -- The ticket's own item: its group of one. Keyed on the item, so no item is ever in two groups.
  INSERT INTO ticket_items (feedback_item_id, ticket_id)
  SELECT id, id FROM created
  ON CONFLICT (feedback_item_id) DO NOTHING
), logs AS (
  -- One row per ticket: its agent steps as one array (a row per step cost more than the ticket itself).
  INSERT INTO processing_logs (ticket_id, source_type, source_id, message_id, steps)
  SELECT i.id, i.source_type, i.source_id, i.message_id, i.logs
  FROM created c
  JOIN input i ON i.id = c.id
  WHERE jsonb_array_length(i.logs) > 0
)
SELECT id::text AS id FROM created`;

const INSERT_BATCH = insertBatchSql(`SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${TICKET_ROW_COLUMNS})`);

/** How long a representative quote may be (characters). */
export const QUOTE_CHARS = 280;

/** A ticket's group of one: its version and platform (the item's, else the crew's), its text as the quote. */
function groupFacts(t: NewTicket): {
  versions: string[];
  platforms: string[];
  quotes: { sourceId: string; text: string }[];
} {
  const details = withCanonicalPlatform(t.technicalDetails) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" && value.trim() ? [value.trim()] : []);
  return {
    versions: text(t.item.appVersion ?? details.appVersion),
    platforms: text(details.platform ?? canonicalPlatform(t.item.platform)),
    quotes: [{ sourceId: t.item.sourceId, text: t.item.text.slice(0, QUOTE_CHARS) }],
  };
}

export function ticketKey(sourceType: string, sourceId: string): string {
  return `${sourceType}:${sourceId}`;
}

/**
 * Writes tickets with their feedback item and processing logs in one statement. Idempotent on
 * (source type, source id): a ticket that exists already is left untouched and reported as duplicate.
 */
export async function insertTickets(
  executor: SqlExecutor,
  tickets: readonly NewTicket[],
): Promise<{ created: string[]; duplicates: string[] }> {
  if (tickets.length === 0) return { created: [], duplicates: [] };
  const { rows: created } = await executor.query<{ id: string }>(INSERT_BATCH, [JSON.stringify(ticketRows(tickets))]);
  const createdIds = new Set(created.map((r) => r.id));
  return {
    created: tickets.filter((t) => createdIds.has(t.id)).map((t) => t.id),
    duplicates: tickets.filter((t) => !createdIds.has(t.id)).map((t) => ticketKey(t.item.sourceType, t.item.sourceId)),
  };
}

/** The batch as the write's input rows, one per ticket, keyed as TICKET_ROW_COLUMNS. */
export function ticketRows(tickets: readonly NewTicket[]) {
  return tickets.map((t) => ({
    id: t.id,
    source_type: t.item.sourceType,
    source_id: t.item.sourceId,
    channel: t.item.channel,
    content_hash: t.item.contentHash,
    payload: t.item,
    title: t.title,
    description: t.description,
    category: t.category,
    priority: t.priority,
    confidence: t.confidence,
    // Every crew's details in one spelling: "ios", "IOS" -> "iOS" (sdk/schemas/platform.ts).
    technical_details: withCanonicalPlatform(t.technicalDetails),
    status: t.status,
    quality_score: t.qualityScore,
    review_reasons: t.reviewReasons,
    language: t.language ?? null,
    // The feedback's own time and app travel on the item.
    submitted_at: t.item.submittedAt ?? null,
    app: t.item.app ?? null,
    logs: t.logs.map(toStep),
    message_id: t.messageId,
    ...groupFacts(t),
  }));
}
