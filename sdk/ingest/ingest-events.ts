import type { z } from "zod";
import { ValidationError } from "../errors.js";
import type { MessageQueue, SendEntry } from "../ports/queue.js";
import { FeedbackReceivedEvent, type QueueMessageBody } from "../schemas/events.js";
import {
  continuesActiveTrace,
  currentTraceContext,
  type Span,
  SpanKind,
  startSpan,
  traceContextOf,
} from "../tracing/tracing.js";

/** SQS's message size limit; a body above it is rejected here rather than failing the whole batch. */
export const MAX_QUEUE_MESSAGE_BYTES = 262_144;
const DEFAULT_BATCH_SIZE = 1_000;

export interface IngestRejection {
  eventId: string | null;
  reason: string;
}

export interface IngestResult {
  enqueued: number;
  rejected: IngestRejection[];
}

export interface IngestOptions {
  /** Messages per `queue.send` call (the SQS adapter splits further into its own batches of 10). */
  batchSize?: number;
  now?: () => Date;
}

/**
 * THE ingestion step between the bus and the processing queue, run by the local bus on publish and by
 * the AWS Lambda that EventBridge invokes: validates each event as a FeedbackReceived envelope, turns it
 * into a `feedback.process` queue message and sends the messages in batches. Invalid events are returned
 * in `rejected` with a readable reason, never dropped silently. A failing send throws; the caller
 * retries the whole call (delivery is at-least-once, the worker deduplicates by source id).
 */
export async function ingestEvents(
  events: readonly unknown[],
  queue: MessageQueue,
  options: IngestOptions = {},
): Promise<IngestResult> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ValidationError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const now = options.now ?? (() => new Date());
  const rejected: IngestRejection[] = [];
  const entries: SendEntry[] = [];
  const spans: Span[] = [];
  for (const event of events) {
    const parsed = FeedbackReceivedEvent.safeParse(event);
    if (!parsed.success) {
      rejected.push({ eventId: eventIdOf(event), reason: describeIssues(parsed.error) });
      continue;
    }
    const body: QueueMessageBody = {
      kind: "feedback.process",
      eventId: parsed.data.id,
      item: parsed.data.detail.item,
      enqueuedAt: now().toISOString(),
    };
    const size = Buffer.byteLength(JSON.stringify(body));
    if (size > MAX_QUEUE_MESSAGE_BYTES) {
      rejected.push({
        eventId: parsed.data.id,
        reason: `queue message of ${size} bytes exceeds the ${MAX_QUEUE_MESSAGE_BYTES}-byte limit`,
      });
      continue;
    }
    // The hand-off to the queue continues the publisher's trace (under the active span when that is in the same
    // trace, e.g. the ingestion Lambda's invocation); the worker continues this span's.
    const carried = traceContextOf(parsed.data.detail.traceContext);
    const enqueue = startSpan("feedback.enqueue", {
      kind: SpanKind.PRODUCER,
      parent: continuesActiveTrace(carried) ? undefined : carried,
      attributes: { "messaging.destination.name": queue.name, "feedback.event_id": parsed.data.id },
    });
    spans.push(enqueue.span);
    const attributes = enqueue.activate(currentTraceContext);
    entries.push(Object.keys(attributes).length > 0 ? { body, attributes } : { body });
  }
  try {
    for (let start = 0; start < entries.length; start += batchSize) {
      await queue.send(entries.slice(start, start + batchSize));
    }
  } finally {
    for (const span of spans) span.end();
  }
  return { enqueued: entries.length, rejected };
}

function eventIdOf(event: unknown): string | null {
  const id = typeof event === "object" && event !== null ? (event as { id?: unknown }).id : undefined;
  return typeof id === "string" && id.length > 0 ? id : null;
}

/** "detail.item.text: Too small: expected string to have >=1 characters; source: Invalid input: ..." */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}
