import { SqsQueue } from "../../sdk/aws/queue.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { ValidationError } from "../../sdk/errors.js";
import { type IngestRejection, ingestEvents } from "../../sdk/ingest/ingest-events.js";
import { createLog, log as defaultLog, type LogFn } from "../../sdk/log.js";
import type { MessageQueue } from "../../sdk/ports/queue.js";
import { startTracing } from "../../sdk/tracing/setup.js";
import { traceContextOf } from "../../sdk/tracing/tracing.js";
import { awsClients, awsSettings, traced } from "./aws-runtime.js";

/** Thrown for events the ingestion step rejects, so the invocation fails and the event ends in the Lambda's DLQ. */
export class IngestionRejectedError extends ValidationError {
  readonly rejected: IngestRejection[];
  constructor(rejected: IngestRejection[]) {
    super(
      `Rejected ${rejected.length} event(s): ${rejected
        .map((r) => `${r.eventId ?? "(no id)"}: ${r.reason}`)
        .join(" | ")
        .slice(0, 2_000)}`,
      {
        hint: "Fix the producer; the rejected event is in the ingestion Lambda's dead-letter queue (on-failure destination).",
      },
    );
    this.rejected = rejected;
  }
}

export interface IngestionDeps {
  queue: MessageQueue;
  log?: LogFn;
}

/**
 * The ingestion Lambda (EventBridge rule target): validates each event as a FeedbackReceived envelope
 * and sends the queue messages with THE ingestion step the local bus runs too (`ingestEvents`).
 * EventBridge invokes it with one event (an array is accepted too). An invalid event is logged with its
 * reason and the invocation throws: after Lambda's retries the event lands in the function's DLQ, so
 * nothing is dropped silently. Valid events of a mixed array are sent before the throw; the retry
 * sends them again and the worker deduplicates.
 */
export function createIngestionHandler(deps: () => IngestionDeps): (event: unknown) => Promise<{ enqueued: number }> {
  return async (event) => {
    const { queue, log = defaultLog } = deps();
    const events = Array.isArray(event) ? event : [event];
    const result = await ingestEvents(events, queue);
    log("info", "ingestion.enqueued", { queue: queue.name, received: events.length, enqueued: result.enqueued });
    if (result.rejected.length > 0) {
      for (const rejection of result.rejected)
        log("error", "ingestion.rejected", { eventId: rejection.eventId, reason: rejection.reason });
      throw new IngestionRejectedError(result.rejected);
    }
    return { enqueued: result.enqueued };
  };
}

// Parsed once per container, at load: a malformed variable fails the function's init with its name.
const config = loadRuntimeConfig(process.env);
const tracing = startTracing(config.tracing, { service: "ingestion-lambda" });
const log = createLog(config.log.level);
let queue: SqsQueue | undefined;

// Each event's `feedback.enqueue` span continues the trace its publisher put in the event's detail.
export const handler = traced(
  tracing,
  "ingestion.invoke",
  createIngestionHandler(() => {
    queue ??= new SqsQueue(awsClients(config.aws).sqs, { queueUrl: awsSettings(config.aws, ["queueUrl"]).queueUrl });
    return { queue, log };
  }),
  // One event per invocation from EventBridge: the invocation joins that event's trace.
  (event) => traceContextOf(detailTraceContext(Array.isArray(event) ? event[0] : event)),
);

function detailTraceContext(event: unknown): Record<string, unknown> | undefined {
  const detail = typeof event === "object" && event !== null ? (event as { detail?: unknown }).detail : undefined;
  const carried =
    typeof detail === "object" && detail !== null ? (detail as { traceContext?: unknown }).traceContext : undefined;
  return typeof carried === "object" && carried !== null ? (carried as Record<string, unknown>) : undefined;
}
