import type { EventPublisher, PublishResult } from "../../sdk/ports/event-bus.js";
import type { ExistingTicketKeys } from "../../sdk/ports/tickets.js";
import { feedbackReceivedEntry } from "../../sdk/schemas/events.js";
import type { FeedbackItem } from "../../sdk/schemas/feedback.js";
import { ticketKey } from "../../sdk/store/ticket-writer.js";
import { currentTraceContext, inSpan, SpanKind } from "../../sdk/tracing/tracing.js";

export type PublishFailure = PublishResult["failed"][number];

export interface PublishedItems {
  enqueued: number;
  /** Items that already had a ticket, not published. */
  duplicatesSkipped: number;
  /** Items the bus refused. */
  failed: { item: FeedbackItem; failure: PublishFailure }[];
}

/**
 * Publishes one batch of items as FeedbackReceived events (the worker turns them into tickets), skipping those that
 * already have a ticket when `tickets` is given: the one publish path of files, uploads and store pulls.
 */
export async function publishItems(
  items: readonly FeedbackItem[],
  ports: { bus: EventPublisher; tickets?: ExistingTicketKeys },
  attributes: Record<string, string | number>,
): Promise<PublishedItems> {
  const fresh = ports.tickets ? await withoutTickets(items, ports.tickets) : items;
  const duplicatesSkipped = items.length - fresh.length;
  if (fresh.length === 0) return { enqueued: 0, duplicatesSkipped, failed: [] };
  const result = await inSpan(
    "feedback.publish",
    { kind: SpanKind.PRODUCER, attributes: { ...attributes, "feedback.items": fresh.length } },
    () => {
      const traceContext = currentTraceContext();
      return ports.bus.publish(fresh.map((item) => feedbackReceivedEntry(item, traceContext)));
    },
  );
  return {
    enqueued: fresh.length - result.failed.length,
    duplicatesSkipped,
    failed: result.failed.map((failure) => ({ item: fresh[failure.index]!, failure })),
  };
}

async function withoutTickets(items: readonly FeedbackItem[], tickets: ExistingTicketKeys): Promise<FeedbackItem[]> {
  const existing = await tickets.existingKeys(items.map((i) => ticketKey(i.sourceType, i.sourceId)));
  return items.filter((i) => !existing.has(ticketKey(i.sourceType, i.sourceId)));
}
