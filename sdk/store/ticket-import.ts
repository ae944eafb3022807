import type { SqlExecutor } from "../db/sql.js";
import type { ImportedTicket } from "../ports/tickets.js";
import { insertTickets } from "./ticket-writer.js";

/** The other system's creation time, and one history entry per ticket just created. */
const DATE_AND_RECORD = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, created_at timestamptz, origin jsonb)
), dated AS (
  UPDATE tickets t SET created_at = i.created_at, updated_at = i.created_at FROM input i WHERE t.id = i.id
  RETURNING t.id
)
INSERT INTO ticket_history (ticket_id, actor, reason, before, after)
SELECT i.id, $2, $3, '{}'::jsonb, i.origin FROM input i JOIN dated d ON d.id = i.id`;

/**
 * Writes imported tickets with the ticket writer (idempotent on the source key), skipping ids that exist
 * already; then dates the new ones as their system did and records where they came from. Run it inside a
 * transaction so that a ticket is never left without its history entry.
 */
export async function importTickets(
  executor: SqlExecutor,
  entries: readonly ImportedTicket[],
  meta: { actor: string; reason: string },
): Promise<{ created: string[]; duplicates: string[] }> {
  if (entries.length === 0) return { created: [], duplicates: [] };
  const { rows } = await executor.query<{ id: string }>(
    "SELECT id::text AS id FROM tickets WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid)",
    [JSON.stringify(entries.map((e) => e.ticket.id))],
  );
  const taken = new Set(rows.map((r) => r.id));
  const fresh = entries.filter((e) => !taken.has(e.ticket.id));
  const saved = await insertTickets(
    executor,
    fresh.map((e) => e.ticket),
  );
  const created = new Set(saved.created);
  const dated = fresh
    .filter((e) => created.has(e.ticket.id))
    .map((e) => ({ id: e.ticket.id, created_at: e.createdAt, origin: e.origin }));
  if (dated.length) await executor.query(DATE_AND_RECORD, [JSON.stringify(dated), meta.actor, meta.reason]);
  return {
    created: saved.created,
    duplicates: entries.filter((e) => !created.has(e.ticket.id)).map((e) => e.ticket.id),
  };
}
