import type { PrismaClient } from "../db/generated/client.js";
import type { SqlClient, SqlExecutor } from "../db/sql.js";
import { ConflictError, NotFoundError, ValidationError } from "../errors.js";
import type {
  CommitResult,
  ImportedTicket,
  ProcessingFailure,
  TicketCounts,
  TicketPage,
  TicketRepository,
  TriagedTicket,
  UpdateMeta,
} from "../ports/tickets.js";
import type { TicketItemView } from "../schemas/grouping.js";
import { fullUuid, ID_CANDIDATES, idPrefixDigits, uuidRange } from "../schemas/id-prefix.js";
import { withCanonicalPlatform } from "../schemas/platform.js";
import {
  type Ticket,
  type TicketDetail,
  type TicketPatch,
  TicketQuery,
  type TicketQueryInput,
  type TriageRewrite,
} from "../schemas/ticket.js";
import { entriesOf, toStep } from "./processing-log.js";
import { importTickets } from "./ticket-import.js";
import { toTicket } from "./ticket-mapper.js";
import { listTickets, matchingTicketIds, streamTickets } from "./ticket-read-model.js";
import { rollupCounts } from "./ticket-rollups.js";
import { insertTickets } from "./ticket-writer.js";

/** `tickets show` lists at most this many items of a group (its reach says how many there are). */
export const MAX_LISTED_ITEMS = 1000;

/**
 * How a committed batch's messages are acknowledged: inside the ticket transaction (the embedded queue
 * lives in the same database, so a result is never committed without its ack and a worker whose
 * message was taken over cannot commit late), or right after the commit (SQS; redelivery is then
 * absorbed by the unique source key).
 */
export type AckStrategy =
  | { inTransaction: (tx: SqlExecutor, receiptHandles: readonly string[]) => Promise<Set<string>> }
  | { afterCommit: (receiptHandles: readonly string[]) => Promise<void> };

/** The ticket store on PostgreSQL (embedded PGlite or RDS): Prisma for CRUD, one SQL statement per hot write. */
export class TicketStore implements TicketRepository {
  constructor(
    private readonly db: { prisma: PrismaClient; sql: SqlClient },
    private readonly acknowledge: AckStrategy,
  ) {}

  private get prisma(): PrismaClient {
    return this.db.prisma;
  }

  async list(input: TicketQueryInput = {}): Promise<TicketPage> {
    return listTickets(this.db.sql, parseQuery(input));
  }

  async *stream(input: TicketQueryInput = {}, pageSize = 2000): AsyncGenerator<Ticket[]> {
    yield* streamTickets(this.db.sql, parseQuery(input), pageSize);
  }

  importTickets(
    entries: readonly ImportedTicket[],
    meta: { actor: string; reason: string },
  ): Promise<{ created: string[]; duplicates: string[] }> {
    return this.db.sql.transaction((tx) => importTickets(tx, entries, meta));
  }

  async matchingIds(input: TicketQueryInput, limit: number): Promise<{ ids: string[]; more: boolean }> {
    return matchingTicketIds(this.db.sql, parseQuery(input), limit);
  }

  async commitTriaged(entries: readonly TriagedTicket[]): Promise<CommitResult> {
    if (entries.length === 0) return { created: [], duplicates: [], owned: new Set() };
    const handles = entries.map((entry) => entry.receiptHandle);
    const acknowledge = this.acknowledge;
    const committed = await this.db.sql.transaction(async (tx) => {
      const owned = "inTransaction" in acknowledge ? await acknowledge.inTransaction(tx, handles) : new Set(handles);
      const saved = await insertTickets(
        tx,
        entries.filter((entry) => owned.has(entry.receiptHandle)).map((entry) => entry.ticket),
      );
      return { ...saved, owned };
    });
    if ("afterCommit" in acknowledge) await acknowledge.afterCommit(handles);
    return committed;
  }

  async recordFailure(failure: ProcessingFailure): Promise<void> {
    await this.db.sql.query(
      `INSERT INTO processing_logs (source_type, source_id, message_id, steps) VALUES ($1, $2, $3, $4::jsonb)`,
      [
        failure.sourceType,
        failure.sourceId,
        failure.messageId,
        JSON.stringify([
          toStep({
            agent: "worker",
            action: "failed",
            result: { error: failure.error, receiveCount: failure.receiveCount },
            confidence: null,
            durationMs: 0,
            tokensIn: null,
            tokensOut: null,
          }),
        ]),
      ],
    );
  }

  async get(id: string): Promise<TicketDetail | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const row = await this.prisma.ticket.findUnique({
      where: { id },
      include: {
        feedbackItem: true,
        logs: { orderBy: { id: "asc" } },
        history: { orderBy: { id: "asc" } },
      },
    });
    if (!row) return null;
    const items = await this.db.sql.query<{
      source_id: string;
      source_type: TicketItemView["sourceType"];
      date: Date | string;
      text: string | null;
      added_by: string;
      similarity: number | null;
    }>(
      `SELECT fi.source_id, fi.source_type, COALESCE((fi.payload->>'submittedAt')::timestamptz, fi.received_at) AS date,
              fi.payload->>'text' AS text, ti.added_by, ti.similarity
       FROM ticket_items ti JOIN feedback_items fi ON fi.id = ti.feedback_item_id
       WHERE ti.ticket_id = $1 ORDER BY date, fi.source_id LIMIT ${MAX_LISTED_ITEMS}`,
      [id],
    );
    return {
      ...toTicket(row),
      feedback: (row.feedbackItem?.payload as Record<string, unknown> | undefined) ?? null,
      items: items.rows.map((item) => ({
        sourceId: item.source_id,
        sourceType: item.source_type,
        date: (item.date instanceof Date ? item.date : new Date(item.date)).toISOString(),
        text: item.text ?? "",
        addedBy: item.added_by,
        similarity: item.similarity === null ? null : Number(item.similarity),
      })),
      firstSeenAt: row.firstSeenAt?.toISOString() ?? null,
      lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
      versions: (row.versions ?? []) as string[],
      platforms: (row.platforms ?? []) as string[],
      quotes: (row.quotes ?? []) as { sourceId: string; text: string }[],
      mergedInto: row.mergedInto,
      regressedAt: row.regressedAt?.toISOString() ?? null,
      logs: row.logs.flatMap(entriesOf),
      history: row.history.map((h) => ({
        actor: h.actor,
        reason: h.reason,
        before: h.before as Record<string, unknown>,
        after: h.after as Record<string, unknown>,
        changedAt: h.changedAt.toISOString(),
      })),
    };
  }

  async resolveId(given: string): Promise<string[]> {
    const whole = fullUuid(given);
    const digits = whole ? null : idPrefixDigits(given);
    if (!whole && !digits) return [];
    // A range on the primary key: index-backed, unlike LIKE on the uuid's text.
    const { low, high } = whole ? { low: whole, high: whole } : uuidRange(digits!);
    const { rows } = await this.db.sql.query<{ id: string }>(
      `SELECT id::text AS id FROM tickets WHERE id BETWEEN $1::text::uuid AND $2::text::uuid ORDER BY id LIMIT $3`,
      [low, high, ID_CANDIDATES],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Applies a change (manual, or a re-triage) and records who changed what, before and after, in one
   * transaction, with a re-triage's processing logs. The patch was checked where it came in (the
   * dashboard's request schemas, the crew's result schema); the table's constraints back it.
   */
  async update(id: string, change: TicketPatch | TriageRewrite, meta: UpdateMeta): Promise<Ticket> {
    // Platform and OS in the one spelling the writer uses ("ios" -> "iOS"), whoever wrote them.
    const patch = change.technicalDetails
      ? { ...change, technicalDetails: withCanonicalPlatform(change.technicalDetails) }
      : change;
    return this.prisma.$transaction(async (tx) => {
      const current = await tx.ticket.findUnique({ where: { id } });
      if (!current)
        throw new NotFoundError(`No ticket ${id}`, { hint: "List tickets with 'feedback-cli tickets list'." });
      if (meta.expectedVersion !== undefined && meta.expectedVersion !== current.version) {
        throw new ConflictError(`Ticket ${id} changed since version ${meta.expectedVersion} (now ${current.version})`, {
          hint: "Reload the ticket and apply your change again.",
        });
      }
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(patch)) {
        const old = (current as Record<string, unknown>)[field];
        if (JSON.stringify(old) !== JSON.stringify(value)) {
          before[field] = old;
          after[field] = value;
        }
      }
      if (Object.keys(after).length === 0) return toTicket(current);
      const updated = await tx.ticket.update({
        where: { id, version: current.version },
        data: {
          ...patch,
          technicalDetails: patch.technicalDetails as object | undefined,
          version: { increment: 1 },
          updatedAt: new Date(),
        },
      });
      await tx.ticketHistory.create({
        data: {
          ticketId: id,
          actor: meta.actor,
          reason: meta.reason ?? null,
          before: before as object,
          after: after as object,
        },
      });
      if (meta.logs?.length) {
        const { sourceType, sourceId } = updated;
        await tx.processingLog.create({
          data: { ticketId: id, sourceType, sourceId, steps: meta.logs.map(toStep) as object[] },
        });
      }
      return toTicket(updated);
    });
  }

  /** Tickets of their own (one folded into another's group is that group's item), from the rollups. */
  counts(): Promise<TicketCounts> {
    return rollupCounts(this.db.sql);
  }

  /**
   * Which "sourceType:sourceId" keys already have a ticket: one join of the unique index with the keys as two arrays
   * (issue #20 measured it ~10x cheaper on the server than an OR of 1,000 pairs), in slices of 5,000.
   */
  async existingKeys(keys: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < keys.length; i += 5000) {
      const types: string[] = [];
      const ids: string[] = [];
      for (const key of keys.slice(i, i + 5000)) {
        const split = key.indexOf(":");
        types.push(key.slice(0, split));
        ids.push(key.slice(split + 1));
      }
      const { rows } = await this.db.sql.query<{ key: string }>(
        `SELECT t.source_type || ':' || t.source_id AS key
         FROM unnest($1::text[], $2::text[]) AS k(source_type, source_id)
         JOIN tickets t ON t.source_type = k.source_type AND t.source_id = k.source_id`,
        [types, ids],
      );
      for (const row of rows) found.add(row.key);
    }
    return found;
  }
}

function parseQuery(input: TicketQueryInput): TicketQuery {
  const parsed = TicketQuery.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      `Invalid ticket query: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}
