import type { SqlClient } from "../db/sql.js";
import { ConfigurationError } from "../errors.js";
import type { PostedReply, RevisionMeta, RevisionResult, StoreSourceRepository } from "../ports/store-reviews.js";
import type { FeedbackItem } from "../schemas/feedback.js";
import { EMPTY_CURSOR, LastPull, PullCursor, StoreSource, type StoreSourceState } from "../schemas/store-source.js";
import { ticketKey } from "./ticket-writer.js";

interface SourceRow {
  name: string;
  settings: unknown;
  cursor: unknown;
  last_pull: unknown;
}

// One statement: the edited items replace their stored payload, and the ticket that holds each one (its own, or
// the group it was folded into) gets a history entry and a new version, so an open editor sees the change.
const REVISE = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(source_type text, source_id text, content_hash text, payload jsonb)
), known AS (
  SELECT fi.id, i.source_type, i.source_id, fi.payload AS before, i.payload AS after,
         fi.content_hash <> i.content_hash OR (fi.payload->'rating') IS DISTINCT FROM (i.payload->'rating') AS changed
  FROM input i JOIN feedback_items fi ON fi.source_type = i.source_type AND fi.source_id = i.source_id
), updated AS (
  UPDATE feedback_items fi SET payload = k.after, content_hash = k.after->>'contentHash'
  FROM known k WHERE fi.id = k.id AND k.changed
  RETURNING fi.id
), history AS (
  INSERT INTO ticket_history (ticket_id, actor, reason, before, after)
  SELECT ti.ticket_id, $2, $3,
         jsonb_build_object('feedback', jsonb_build_object('sourceId', k.source_id, 'text', k.before->'text',
           'subject', k.before->'subject', 'rating', k.before->'rating', 'appVersion', k.before->'appVersion',
           'submittedAt', k.before->'submittedAt')),
         jsonb_build_object('feedback', jsonb_build_object('sourceId', k.source_id, 'text', k.after->'text',
           'subject', k.after->'subject', 'rating', k.after->'rating', 'appVersion', k.after->'appVersion',
           'submittedAt', k.after->'submittedAt'))
  FROM known k JOIN ticket_items ti ON ti.feedback_item_id = k.id
  WHERE k.changed
), bumped AS (
  UPDATE tickets SET version = version + 1, updated_at = now()
  WHERE id IN (SELECT ti.ticket_id FROM known k JOIN ticket_items ti ON ti.feedback_item_id = k.id WHERE k.changed)
)
SELECT source_type, source_id, changed FROM known`;

/** The `store_sources` table, each row parsed with the source schemas on read. */
export class SqlStoreSourceStore implements StoreSourceRepository {
  constructor(private readonly sql: SqlClient) {}

  async list(): Promise<StoreSourceState[]> {
    const { rows } = await this.sql.query<SourceRow>(
      "SELECT name, settings, cursor, last_pull FROM store_sources ORDER BY name",
    );
    return rows.map(toState);
  }

  async get(name: string): Promise<StoreSourceState | null> {
    const { rows } = await this.sql.query<SourceRow>(
      "SELECT name, settings, cursor, last_pull FROM store_sources WHERE name = $1",
      [name],
    );
    return rows[0] ? toState(rows[0]) : null;
  }

  async save(source: StoreSource): Promise<void> {
    const parsed = StoreSource.parse(source);
    await this.sql.query(
      `INSERT INTO store_sources (name, kind, settings) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, settings = EXCLUDED.settings, updated_at = now()`,
      [parsed.name, parsed.kind, JSON.stringify(parsed)],
    );
  }

  async remove(name: string): Promise<boolean> {
    const { rows } = await this.sql.query("DELETE FROM store_sources WHERE name = $1 RETURNING name", [name]);
    return rows.length > 0;
  }

  async saveCursor(name: string, cursor: PullCursor): Promise<void> {
    await this.updateColumn(name, "cursor", PullCursor.parse(cursor));
  }

  async recordPull(name: string, lastPull: LastPull): Promise<void> {
    await this.updateColumn(name, "last_pull", LastPull.parse(lastPull));
  }

  async reviseItems(items: readonly FeedbackItem[], meta: RevisionMeta): Promise<RevisionResult> {
    if (items.length === 0) return { revised: [], unchanged: [] };
    const input = items.map((item) => ({
      source_type: item.sourceType,
      source_id: item.sourceId,
      content_hash: item.contentHash,
      payload: item,
    }));
    const { rows } = await this.sql.query<{ source_type: string; source_id: string; changed: boolean }>(REVISE, [
      JSON.stringify(input),
      meta.actor,
      meta.reason,
    ]);
    const keys = (changed: boolean) =>
      rows.filter((row) => row.changed === changed).map((row) => ticketKey(row.source_type, row.source_id));
    return { revised: keys(true), unchanged: keys(false) };
  }

  async recordReply(reply: PostedReply): Promise<void> {
    const { ticketId, actor, ...posted } = reply;
    await this.sql.query(
      `INSERT INTO ticket_history (ticket_id, actor, reason, before, after) VALUES ($1, $2, $3, '{}'::jsonb, $4::jsonb)`,
      [ticketId, actor, "Replied to the review in the store", JSON.stringify({ reply: posted })],
    );
  }

  private async updateColumn(name: string, column: "cursor" | "last_pull", value: unknown): Promise<void> {
    const { rows } = await this.sql.query(
      `UPDATE store_sources SET ${column} = $2::jsonb, updated_at = now() WHERE name = $1 RETURNING name`,
      [name, JSON.stringify(value)],
    );
    if (rows.length === 0) throw new ConfigurationError(`No store source '${name}'`, { hint: LIST_HINT });
  }
}

const LIST_HINT = "List the configured sources with 'feedback-cli sources list'.";

function toState(row: SourceRow): StoreSourceState {
  const source = StoreSource.safeParse(row.settings);
  if (!source.success) {
    throw new ConfigurationError(`Store source '${row.name}' is invalid: ${source.error.issues[0]?.message}`, {
      hint: `Configure it again with 'feedback-cli sources add ${row.name} ...'.`,
    });
  }
  const cursor = PullCursor.safeParse(row.cursor);
  const lastPull = LastPull.nullable().safeParse(row.last_pull ?? null);
  return {
    source: source.data,
    // A cursor that no longer parses starts over; items already ticketed are skipped by their source key.
    cursor: cursor.success ? cursor.data : EMPTY_CURSOR,
    lastPull: lastPull.success ? lastPull.data : null,
  };
}
