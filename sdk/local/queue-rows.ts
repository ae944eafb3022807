import type { DeadLetter, ReceivedMessage } from "../ports/queue.js";

/** Shapes shared by LocalQueue and LocalDeadLetterQueue: ids, handles and rows of `queue_messages`. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/**
 * A Postgres array literal of uuids, passed as one text parameter (`$n::text::uuid[]`): the same text
 * on PGlite and node-postgres, whose own array serialisers differ. Callers pass validated uuids only.
 */
export function uuidArrayLiteral(ids: readonly string[]): string {
  return `{${ids.join(",")}}`;
}

export interface DeliveredRow {
  id: string;
  body: unknown;
  attributes: Record<string, string>;
  receive_count: number;
  receipt_handle: string;
  sent_at: Date;
  first_received_at: Date;
}

export function toReceivedMessage<TBody>(row: DeliveredRow): ReceivedMessage<TBody> {
  return {
    messageId: row.id,
    receiptHandle: row.receipt_handle,
    body: row.body as TBody,
    attributes: row.attributes ?? {},
    receiveCount: row.receive_count,
    sentAt: row.sent_at,
    firstReceivedAt: row.first_received_at,
  };
}

export interface DeadLetterRow {
  id: string;
  body: unknown;
  attributes: Record<string, string>;
  receive_count: number;
  sent_at: Date;
  dead_lettered_at: Date | null;
  last_error: string | null;
  source_queue: string | null;
}

export const DEAD_LETTER_COLUMNS =
  "id, body, attributes, receive_count, sent_at, dead_lettered_at, last_error, source_queue";

export function toDeadLetter<TBody>(row: DeadLetterRow): DeadLetter<TBody> {
  return {
    messageId: row.id,
    body: row.body as TBody,
    attributes: row.attributes ?? {},
    receiveCount: row.receive_count,
    sentAt: row.sent_at,
    deadLetteredAt: row.dead_lettered_at,
    lastError: row.last_error,
    sourceQueue: row.source_queue,
  };
}
