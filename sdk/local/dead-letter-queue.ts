import type { SqlExecutor } from "../db/sql.js";
import { NotFoundError, ValidationError } from "../errors.js";
import type { DeadLetter, DeadLetterQueue } from "../ports/queue.js";
import { fullUuid, ID_CANDIDATES, idPrefixDigits, uuidRange } from "../schemas/id-prefix.js";
import { DEAD_LETTER_COLUMNS, type DeadLetterRow, isUuid, toDeadLetter, uuidArrayLiteral } from "./queue-rows.js";

const DEFAULT_LIST_LIMIT = 100;

/**
 * The dead letters of a local queue: rows of `queue_messages` whose queue is the dead-letter queue,
 * keeping the message id, body, receive count and last error they had in their source queue.
 * Expired dead letters (past the dead-letter queue's retention, counted from the original send) are
 * left out, as SQS would have deleted them.
 */
export class LocalDeadLetterQueue implements DeadLetterQueue {
  constructor(
    private readonly sql: SqlExecutor,
    readonly name: string,
  ) {}

  /** The dead-letter queue configured for `sourceQueue` in the `queues` table. */
  static async forSourceQueue(sql: SqlExecutor, sourceQueue: string): Promise<LocalDeadLetterQueue> {
    const { rows } = await sql.query<{ dead_letter_queue: string | null }>(
      `SELECT dead_letter_queue FROM queues WHERE name = $1`,
      [sourceQueue],
    );
    const name = rows[0]?.dead_letter_queue;
    if (!name) {
      throw new NotFoundError(
        rows[0] ? `Queue "${sourceQueue}" has no dead-letter queue` : `Queue "${sourceQueue}" does not exist`,
      );
    }
    return new LocalDeadLetterQueue(sql, name);
  }

  bind(executor: SqlExecutor): LocalDeadLetterQueue {
    return new LocalDeadLetterQueue(executor, this.name);
  }

  /** Oldest dead letter first. */
  async list<TBody = unknown>(options: { limit?: number } = {}): Promise<DeadLetter<TBody>[]> {
    const limit = options.limit ?? DEFAULT_LIST_LIMIT;
    if (!Number.isInteger(limit) || limit < 1)
      throw new ValidationError(`limit must be a positive integer, got ${limit}`);
    const { rows } = await this.sql.query<DeadLetterRow>(
      `SELECT ${DEAD_LETTER_COLUMNS} FROM queue_messages
       WHERE queue = $1 AND expires_at > now()
       ORDER BY COALESCE(dead_lettered_at, sent_at), sent_at, id
       LIMIT $2`,
      [this.name, limit],
    );
    return rows.map((row) => toDeadLetter<TBody>(row));
  }

  async get<TBody = unknown>(messageId: string): Promise<DeadLetter<TBody> | null> {
    if (!isUuid(messageId)) return null;
    const { rows } = await this.sql.query<DeadLetterRow>(
      `SELECT ${DEAD_LETTER_COLUMNS} FROM queue_messages
       WHERE queue = $1 AND id = $2::text::uuid AND expires_at > now()`,
      [this.name, messageId],
    );
    return rows[0] ? toDeadLetter<TBody>(rows[0]) : null;
  }

  async resolveId(given: string): Promise<string[]> {
    const whole = fullUuid(given);
    const digits = whole ? null : idPrefixDigits(given);
    if (!whole && !digits) return [];
    const { low, high } = whole ? { low: whole, high: whole } : uuidRange(digits!);
    const { rows } = await this.sql.query<{ id: string }>(
      `SELECT id::text AS id FROM queue_messages
       WHERE queue = $1 AND id BETWEEN $2::text::uuid AND $3::text::uuid AND expires_at > now()
       ORDER BY id LIMIT $4`,
      [this.name, low, high, ID_CANDIDATES],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Moves dead letters back to their source queue, keeping their ids: receive count 0, visible now,
   * a fresh retention period of the source queue (like a new send). `notFound` lists the requested ids
   * that are not dead letters here (unknown, expired, or without an existing source queue).
   */
  async redrive(options: { messageIds?: readonly string[] } = {}): Promise<{ moved: string[]; notFound: string[] }> {
    const requested = options.messageIds ? [...new Set(options.messageIds)] : undefined;
    if (requested && requested.length === 0) return { moved: [], notFound: [] };
    const ids = requested ? [...new Set(requested.filter(isUuid).map((id) => id.toLowerCase()))] : null;
    const { rows } = await this.sql.query<{ id: string }>(
      `UPDATE queue_messages m
       SET queue = m.source_queue, source_queue = NULL, dead_lettered_at = NULL, receive_count = 0,
           receipt_handle = NULL, first_received_at = NULL,
           visible_at = date_trunc('milliseconds', now()),
           expires_at = now() + make_interval(secs => q.retention_s)
       FROM queues q
       WHERE m.queue = $1 AND q.name = m.source_queue AND m.expires_at > now()
         AND ($2::text IS NULL OR m.id = ANY($2::text::uuid[]))
       RETURNING m.id`,
      [this.name, ids ? uuidArrayLiteral(ids) : null],
    );
    const moved = new Set(rows.map((row) => row.id));
    if (!requested) return { moved: [...moved], notFound: [] };
    return {
      moved: requested.filter((id) => moved.has(id.toLowerCase())),
      notFound: requested.filter((id) => !moved.has(id.toLowerCase())),
    };
  }

  async delete(messageIds: readonly string[]): Promise<{ deleted: string[]; notFound: string[] }> {
    const requested = [...new Set(messageIds)];
    const ids = [...new Set(requested.filter(isUuid).map((id) => id.toLowerCase()))];
    if (ids.length === 0) return { deleted: [], notFound: requested };
    const { rows } = await this.sql.query<{ id: string }>(
      `DELETE FROM queue_messages WHERE queue = $1 AND id = ANY($2::text::uuid[]) AND expires_at > now()
       RETURNING id::text AS id`,
      [this.name, uuidArrayLiteral(ids)],
    );
    const deleted = new Set(rows.map((row) => row.id));
    return {
      deleted: requested.filter((id) => deleted.has(id.toLowerCase())),
      notFound: requested.filter((id) => !deleted.has(id.toLowerCase())),
    };
  }

  async depth(): Promise<number> {
    const { rows } = await this.sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM queue_messages WHERE queue = $1 AND expires_at > now()`,
      [this.name],
    );
    return rows[0]?.count ?? 0;
  }
}
