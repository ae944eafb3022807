import { z } from "zod";
import { FeedbackItem } from "./feedback.js";

export const FEEDBACK_RECEIVED = "FeedbackReceived";

/** One item as a publisher hands it to the bus; the bus adds the id and time of the FeedbackReceivedEvent. */
export interface FeedbackReceivedEntry {
  /** `feedback.<source type>`: the bus routes on it (infra/components/events.ts). */
  source: `feedback.${FeedbackItem["sourceType"]}`;
  detailType: typeof FEEDBACK_RECEIVED;
  detail: { item: FeedbackItem; traceContext?: TraceContext };
}

/** W3C trace context (`traceparent`, `tracestate`) riding along, so one item is one trace (sdk/tracing). */
export const TraceContext = z.object({
  traceparent: z.string().max(512).optional(),
  tracestate: z.string().max(512).optional(),
});
export type TraceContext = z.infer<typeof TraceContext>;

/** The bus entry announcing `item`; `traceContext` (the publisher's span, when tracing is on) is kept only when set. */
export function feedbackReceivedEntry(
  item: FeedbackItem,
  traceContext: Readonly<Record<string, string>> = {},
): FeedbackReceivedEntry {
  const detail = traceContext.traceparent ? { item, traceContext: { ...traceContext } } : { item };
  return { source: `feedback.${item.sourceType}`, detailType: FEEDBACK_RECEIVED, detail };
}

/** EventBridge-shaped envelope, as PutEvents would deliver it to a rule target. */
export const EventEnvelope = z.object({
  id: z.string().min(1),
  version: z.literal("0").default("0"),
  source: z.string().min(1).max(256),
  "detail-type": z.string().min(1).max(128),
  time: z.iso.datetime({ offset: true }),
  region: z.string().default("local"),
  account: z.string().default("000000000000"),
  resources: z.array(z.string()).default([]),
  detail: z.record(z.string(), z.unknown()),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

export const FeedbackReceivedEvent = EventEnvelope.extend({
  "detail-type": z.literal(FEEDBACK_RECEIVED),
  detail: z.object({ item: FeedbackItem, traceContext: TraceContext.optional() }),
});
export type FeedbackReceivedEvent = z.infer<typeof FeedbackReceivedEvent>;

/** Body of a message on the processing queue: one feedback item plus tracing data. */
export const QueueMessageBody = z.object({
  kind: z.literal("feedback.process"),
  eventId: z.string(),
  item: FeedbackItem,
  enqueuedAt: z.iso.datetime({ offset: true }),
});
export type QueueMessageBody = z.infer<typeof QueueMessageBody>;
