import type { Message, MessageAttributeValue } from "@aws-sdk/client-sqs";
import { TooLargeError, ValidationError } from "../errors.js";
import type { ReceivedMessage, SendEntry } from "../ports/queue.js";

/** The limits the local queue enforces too (SQS itself now takes up to 1 MiB; the queue's setting may not). */
export const SQS_LIMITS = {
  maxMessageBytes: 262_144,
  maxDelaySeconds: 900,
  maxVisibilityTimeoutSeconds: 43_200,
  maxEntriesPerBatch: 10,
  maxWaitTimeSeconds: 20,
  maxAttributes: 10,
} as const;

/**
 * A message attribute carrying the id a message had when it was first sent. A per-message DLQ replay
 * re-sends the message (SQS gives it a new MessageId); the adapter reports this id instead, so a
 * replayed message keeps its id as it does locally. Internal: never returned among `attributes`.
 */
export const ORIGINAL_ID_ATTRIBUTE = "FeedbackOriginalMessageId";

export const RECEIVE_SYSTEM_ATTRIBUTES = [
  "ApproximateReceiveCount",
  "SentTimestamp",
  "ApproximateFirstReceiveTimestamp",
  "DeadLetterQueueSourceArn",
] as const;

/** `https://sqs.eu-west-1.amazonaws.com/123456789012/feedback-queue` -> `feedback-queue`. */
export function queueNameFromUrl(url: string): string {
  const name = url.replace(/\/+$/, "").split("/").pop();
  if (!name) throw new ValidationError(`Not an SQS queue URL: "${url}"`);
  return name;
}

/** The queue name at the end of an SQS ARN (`arn:aws:sqs:eu-west-1:123456789012:feedback-queue`). */
export function queueNameFromArn(arn: string): string {
  return arn.split(":").pop() ?? arn;
}

// SQS accepts #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF. JSON.stringify escapes control
// characters and lone surrogates already; the two non-characters it leaves are escaped here.
const NON_CHARACTERS = /[\uFFFE\uFFFF]/g;

export interface EncodedEntry {
  body: string;
  attributes: Record<string, MessageAttributeValue>;
  delaySeconds: number;
  size: number;
}

/** Validates a send entry the way the local queue does and encodes it for SendMessage(Batch). */
export function encodeSendEntry(entry: SendEntry, index: number, originalId?: string): EncodedEntry {
  const delay = entry.delaySeconds ?? 0;
  if (!Number.isInteger(delay) || delay < 0 || delay > SQS_LIMITS.maxDelaySeconds) {
    throw new ValidationError(
      `Entry ${index}: delaySeconds must be an integer 0-${SQS_LIMITS.maxDelaySeconds}, got ${delay}`,
    );
  }
  const attributes: Record<string, MessageAttributeValue> = {};
  const given = Object.entries(entry.attributes ?? {});
  if (given.length + (originalId ? 1 : 0) > SQS_LIMITS.maxAttributes) {
    throw new ValidationError(`Entry ${index}: at most ${SQS_LIMITS.maxAttributes} attributes are allowed on SQS`);
  }
  let attributeBytes = 0;
  for (const [key, value] of given) {
    if (typeof value !== "string") throw new ValidationError(`Entry ${index}: attribute "${key}" must be a string`);
    if (!/^[A-Za-z0-9_.-]{1,256}$/.test(key) || /^(aws\.|amazon\.)/i.test(key) || key === ORIGINAL_ID_ATTRIBUTE) {
      throw new ValidationError(`Entry ${index}: "${key}" is not a valid SQS attribute name`);
    }
    attributes[key] = { DataType: "String", StringValue: value };
    attributeBytes += Buffer.byteLength(key) + Buffer.byteLength("String") + Buffer.byteLength(value);
  }
  if (originalId) attributes[ORIGINAL_ID_ATTRIBUTE] = { DataType: "String", StringValue: originalId };
  let body: string | undefined;
  try {
    body = JSON.stringify(entry.body);
  } catch (error) {
    throw new ValidationError(`Entry ${index}: the body cannot be serialised as JSON`, { cause: error });
  }
  if (body === undefined) throw new ValidationError(`Entry ${index}: the body must be a JSON value`);
  body = body.replace(NON_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  const size = Buffer.byteLength(body) + attributeBytes;
  if (size > SQS_LIMITS.maxMessageBytes) {
    throw new TooLargeError(
      `Entry ${index}: message of ${size} bytes exceeds the ${SQS_LIMITS.maxMessageBytes}-byte limit`,
      {
        hint: "Store large content as an artifact and send its key instead.",
      },
    );
  }
  return { body, attributes, delaySeconds: delay, size };
}

/** The body as sent by this adapter (JSON); a body another producer sent as plain text stays a string. */
export function decodeBody(body: string | undefined): unknown {
  if (body === undefined) return null;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

export function decodeAttributes(
  attributes: Record<string, MessageAttributeValue> | undefined,
): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (key === ORIGINAL_ID_ATTRIBUTE) continue;
    if (value.StringValue !== undefined) decoded[key] = value.StringValue;
  }
  return decoded;
}

/** The id the port reports: the original id of a replayed message, else SQS's MessageId. */
export function messageIdOf(message: Message): string {
  return message.MessageAttributes?.[ORIGINAL_ID_ATTRIBUTE]?.StringValue ?? message.MessageId ?? "";
}

function timestamp(value: string | undefined, fallback: Date): Date {
  const ms = Number(value);
  return value !== undefined && Number.isFinite(ms) ? new Date(ms) : fallback;
}

export function toReceivedMessage<TBody>(message: Message, now: Date): ReceivedMessage<TBody> {
  const attributes = message.Attributes ?? {};
  const sentAt = timestamp(attributes.SentTimestamp, now);
  return {
    messageId: messageIdOf(message),
    receiptHandle: message.ReceiptHandle ?? "",
    body: decodeBody(message.Body) as TBody,
    attributes: decodeAttributes(message.MessageAttributes),
    receiveCount: Number(attributes.ApproximateReceiveCount ?? 1),
    sentAt,
    firstReceivedAt: timestamp(attributes.ApproximateFirstReceiveTimestamp, now),
  };
}
