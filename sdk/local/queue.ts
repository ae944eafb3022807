import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { SqlExecutor } from "../db/sql.js";
import { ConflictError, TooLargeError, ValidationError } from "../errors.js";
import type {
  BatchResult,
  MessageQueue,
  QueueDepth,
  ReceivedMessage,
  ReceiveOptions,
  SendEntry,
} from "../ports/queue.js";
import { type DeliveredRow, isUuid, toReceivedMessage, uuidArrayLiteral } from "./queue-rows.js";
import { isIntIn, loadQueueSettings, QUEUE_LIMITS, type QueueSettings } from "./queue-settings.js";

export { LocalDeadLetterQueue } from "./dead-letter-queue.js";
export { ensureQueue, loadQueueSettings, type QueueSettings } from "./queue-settings.js";

/** SQS's limits that a local queue enforces too, so code that works locally works against SQS. */
export const MESSAGE_LIMITS = {
  maxMessageBytes: 262_144,
  maxDelaySeconds: 900,
} as const;

/** Rows per INSERT statement on send (SQS takes 10 per call; locally larger batches buy throughput). */
const SEND_CHUNK_ROWS = 1_000;
const MAX_MESSAGES_PER_RECEIVE = 10_000;
const FIRST_POLL_SLEEP_MS = 50;
const MAX_POLL_SLEEP_MS = 200;

/**
 * The `queue_messages` table with SQS's contract: at-least-once delivery through `FOR UPDATE SKIP LOCKED`,
 * visibility timeout, receipt handles that go stale on the next receive, redrive to the dead-letter queue
 * (on the receive after maxReceiveCount, as SQS does) and retention. All times come from the database
 * clock, so several processes sharing the database agree. `visible_at` is rounded down to the column's
 * millisecond precision (never up), so "visible now" (delay 0, changeVisibility 0, redrive) is visible
 * to the very next receive.
 *
 * Bind it to a transaction's executor (`queue.bind(tx)`) to send or delete atomically with other writes.
 * Do not call a queue bound to the client itself from inside that client's transaction: on embedded
 * PGlite that waits for the session the transaction holds.
 */
export class LocalQueue implements MessageQueue {
  private interruption = new AbortController();

  constructor(
    private readonly sql: SqlExecutor,
    readonly name: string,
    readonly settings: QueueSettings,
  ) {}

  /** Loads the queue's settings from the `queues` table; NotFoundError when it does not exist. */
  static async open(sql: SqlExecutor, name: string): Promise<LocalQueue> {
    return new LocalQueue(sql, name, await loadQueueSettings(sql, name));
  }

  /** The same queue over another executor, e.g. the caller's transaction. */
  bind(executor: SqlExecutor): LocalQueue {
    return new LocalQueue(executor, this.name, this.settings);
  }

  async send(entries: readonly SendEntry[]): Promise<string[]> {
    const rows = entries.map((entry, index) => toInsertRow(entry, index));
    for (let start = 0; start < rows.length; start += SEND_CHUNK_ROWS) {
      await this.sql.query(
        `INSERT INTO queue_messages (id, queue, body, attributes, sent_at, visible_at, expires_at)
         SELECT t.id, $1, COALESCE(t.body, 'null'::json), t.attributes, now(),
                date_trunc('milliseconds', now() + make_interval(secs => t.delay)),
                now() + make_interval(secs => $2)
         FROM json_to_recordset($3::text::json) AS t(id uuid, body json, attributes jsonb, delay int)`,
        [this.name, this.settings.retentionSeconds, JSON.stringify(rows.slice(start, start + SEND_CHUNK_ROWS))],
      );
    }
    return rows.map((row) => row.id);
  }

  async receive<TBody = unknown>(options: ReceiveOptions = {}): Promise<ReceivedMessage<TBody>[]> {
    const maxMessages = options.maxMessages ?? 1;
    const visibility = options.visibilityTimeoutSeconds ?? this.settings.visibilityTimeoutSeconds;
    const waitTimeMs = options.waitTimeMs ?? 0;
    if (!isIntIn(maxMessages, 1, MAX_MESSAGES_PER_RECEIVE)) {
      throw new ValidationError(`maxMessages must be an integer 1-${MAX_MESSAGES_PER_RECEIVE}, got ${maxMessages}`);
    }
    assertVisibilityTimeout(visibility);
    if (!(waitTimeMs >= 0)) throw new ValidationError(`waitTimeMs must be >= 0, got ${waitTimeMs}`);

    const deadline = Date.now() + waitTimeMs;
    const interrupted = this.interruption.signal;
    let pause = FIRST_POLL_SLEEP_MS;
    for (;;) {
      const messages = await this.receiveVisible<TBody>(maxMessages, visibility);
      const remaining = deadline - Date.now();
      if (messages.length > 0 || remaining <= 0 || interrupted.aborted) return messages;
      await sleep(Math.min(pause, remaining), undefined, { signal: interrupted }).catch(() => undefined);
      pause = Math.min(pause * 2, MAX_POLL_SLEEP_MS);
    }
  }

  /** Ends the long polls in progress at once (they return what they have); for a quick shutdown. */
  interruptReceives(): void {
    this.interruption.abort();
    this.interruption = new AbortController();
  }

  /** Deletes where the receipt handle is still the latest one; stale or unknown handles are `failed`. */
  async deleteBatch(receiptHandles: readonly string[]): Promise<BatchResult> {
    const wellFormed = [...new Set(receiptHandles.filter(isUuid).map((h) => h.toLowerCase()))];
    const deleted = new Set<string>();
    if (wellFormed.length > 0) {
      const { rows } = await this.sql.query<{ receipt_handle: string }>(
        `DELETE FROM queue_messages WHERE queue = $1 AND receipt_handle = ANY($2::text::uuid[]) RETURNING receipt_handle`,
        [this.name, uuidArrayLiteral(wellFormed)],
      );
      for (const row of rows) deleted.add(row.receipt_handle);
    }
    const result: BatchResult = { successful: [], failed: [] };
    for (const handle of receiptHandles) {
      if (isUuid(handle) && deleted.has(handle.toLowerCase())) {
        result.successful.push(handle);
      } else {
        result.failed.push({
          id: handle,
          code: "ReceiptHandleIsInvalid",
          message: `The receipt handle is not the latest of a message in queue "${this.name}" (received again since, or deleted).`,
        });
      }
    }
    return result;
  }

  /** Sets the remaining visibility from now (0 = visible now); ConflictError for a stale handle. */
  async changeVisibility(receiptHandle: string, timeoutSeconds: number, lastError?: string): Promise<void> {
    assertVisibilityTimeout(timeoutSeconds);
    const { affectedRows } = isUuid(receiptHandle)
      ? await this.sql.query(
          `UPDATE queue_messages SET visible_at = date_trunc('milliseconds', now() + make_interval(secs => $3)),
             last_error = COALESCE($4::text, last_error)
           WHERE queue = $1 AND receipt_handle = $2::text::uuid`,
          [this.name, receiptHandle, timeoutSeconds, lastError ?? null],
        )
      : { affectedRows: 0 };
    if (affectedRows === 0) {
      throw new ConflictError(`Receipt handle is stale or unknown in queue "${this.name}"`, {
        hint: "The message was received again by another consumer, or deleted; do not process it further.",
      });
    }
  }

  /** Approximate counts, like SQS's ApproximateNumberOfMessages(NotVisible|Delayed); expired ones excluded. */
  async depth(): Promise<QueueDepth> {
    const { rows } = await this.sql.query<QueueDepth>(
      `SELECT count(*) FILTER (WHERE visible_at <= now())::int AS visible,
              count(*) FILTER (WHERE visible_at > now() AND receipt_handle IS NOT NULL)::int AS "inFlight",
              count(*) FILTER (WHERE visible_at > now() AND receipt_handle IS NULL)::int AS delayed
       FROM queue_messages WHERE queue = $1 AND expires_at > now()`,
      [this.name],
    );
    return rows[0] ?? { visible: 0, inFlight: 0, delayed: 0 };
  }

  /** Deletes messages past their retention, in flight or not (receive drops visible ones anyway). */
  async purgeExpired(): Promise<number> {
    const { affectedRows } = await this.sql.query(
      `DELETE FROM queue_messages WHERE queue = $1 AND expires_at <= now()`,
      [this.name],
    );
    return affectedRows;
  }

  /**
   * One receive without waiting. Visible messages that reached maxReceiveCount move to the dead-letter
   * queue and expired ones are deleted instead of being delivered; when that skipped some, the next
   * visible ones are tried at once, so such messages never hide deliverable ones.
   */
  private async receiveVisible<TBody>(maxMessages: number, visibility: number): Promise<ReceivedMessage<TBody>[]> {
    const messages: ReceivedMessage<TBody>[] = [];
    for (;;) {
      const { rows } = await this.sql.query<DeliveredRow & { skipped: number }>(RECEIVE_SQL, [
        this.name,
        maxMessages - messages.length,
        visibility,
        this.settings.maxReceiveCount,
        this.settings.deadLetterQueue,
      ]);
      let skipped = 0;
      for (const row of rows) {
        skipped = row.skipped;
        if (row.id !== null) messages.push(toReceivedMessage<TBody>(row));
      }
      if (skipped === 0 || messages.length >= maxMessages) return messages;
    }
  }
}

/**
 * $1 queue, $2 how many, $3 visibility seconds, $4 maxReceiveCount, $5 dead-letter queue (or null).
 * The dead letter keeps its id, body and last error; its retention counts from the original send, with
 * the dead-letter queue's retention period (as in SQS). Always returns at least one row carrying
 * `skipped` (dead-lettered + expired); `id` is null on that row when nothing was delivered.
 */
const RECEIVE_SQL = `
WITH candidates AS (
  -- The oldest visible ones, locked, read in index order whatever the table's statistics say (the function's why).
  SELECT id, expires_at <= now() AS expired,
         ($5::text IS NOT NULL AND receive_count >= $4::int) AS exhausted
  FROM queue_receivable($1, $2)
), expired AS (
  DELETE FROM queue_messages m USING candidates c
  WHERE m.id = c.id AND c.expired
  RETURNING m.id
), dead AS (
  UPDATE queue_messages m
  SET queue = $5, source_queue = m.queue, dead_lettered_at = now(), receipt_handle = NULL,
      visible_at = date_trunc('milliseconds', now()),
      expires_at = m.sent_at + make_interval(secs => (SELECT q.retention_s FROM queues q WHERE q.name = $5))
  FROM candidates c
  WHERE m.id = c.id AND c.exhausted AND NOT c.expired
  RETURNING m.id
), delivered AS (
  UPDATE queue_messages m
  SET receipt_handle = gen_random_uuid(), receive_count = m.receive_count + 1,
      visible_at = date_trunc('milliseconds', now() + make_interval(secs => $3)), first_received_at = COALESCE(m.first_received_at, now())
  FROM candidates c
  WHERE m.id = c.id AND NOT c.expired AND NOT c.exhausted
  RETURNING m.id, m.body, m.attributes, m.receive_count, m.receipt_handle, m.sent_at, m.first_received_at
), skipped AS (
  SELECT ((SELECT count(*) FROM expired) + (SELECT count(*) FROM dead))::int AS skipped
)
SELECT d.id, d.body, d.attributes, d.receive_count, d.receipt_handle, d.sent_at, d.first_received_at, s.skipped
FROM skipped s LEFT JOIN delivered d ON true`;

interface InsertRow {
  id: string;
  body: unknown;
  attributes: Record<string, string>;
  delay: number;
}

function toInsertRow(entry: SendEntry, index: number): InsertRow {
  const delay = entry.delaySeconds ?? 0;
  if (!isIntIn(delay, 0, MESSAGE_LIMITS.maxDelaySeconds)) {
    throw new ValidationError(
      `Entry ${index}: delaySeconds must be an integer 0-${MESSAGE_LIMITS.maxDelaySeconds}, got ${delay}`,
    );
  }
  const attributes = entry.attributes ?? {};
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value !== "string") throw new ValidationError(`Entry ${index}: attribute "${key}" must be a string`);
  }
  let bodyJson: string | undefined;
  try {
    bodyJson = JSON.stringify(entry.body);
  } catch (error) {
    throw new ValidationError(`Entry ${index}: the body cannot be serialised as JSON`, { cause: error });
  }
  if (bodyJson === undefined) throw new ValidationError(`Entry ${index}: the body must be a JSON value`);
  const size = Buffer.byteLength(bodyJson) + Buffer.byteLength(JSON.stringify(attributes));
  if (size > MESSAGE_LIMITS.maxMessageBytes) {
    throw new TooLargeError(
      `Entry ${index}: message of ${size} bytes exceeds the ${MESSAGE_LIMITS.maxMessageBytes}-byte limit`,
      { hint: "Store large content as an artifact and send its key instead." },
    );
  }
  return { id: randomUUID(), body: entry.body, attributes, delay };
}

function assertVisibilityTimeout(seconds: number): void {
  if (!isIntIn(seconds, 0, QUEUE_LIMITS.maxVisibilityTimeoutSeconds)) {
    throw new ValidationError(
      `visibilityTimeoutSeconds must be an integer 0-${QUEUE_LIMITS.maxVisibilityTimeoutSeconds}, got ${seconds}`,
    );
  }
}
