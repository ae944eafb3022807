import { z } from "zod";
import {
  DELIVERY_STATUSES,
  DESTINATION_KINDS,
  type DeliveryRecord,
  INTEGRATION_EVENT_TYPES,
} from "../../sdk/ports/integrations.js";

/** A row of the delivery log as operators see it (`integrations deliveries`). */
export const DeliveryView = z.object({
  id: z.string(),
  eventId: z.string(),
  type: z.enum(INTEGRATION_EVENT_TYPES),
  ticketId: z.string(),
  destination: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
export type DeliveryView = z.infer<typeof DeliveryView>;
export const DeliveryList = z.array(DeliveryView);

export const DeliveryReplayResult = z.object({ replayed: z.array(z.string()), notFound: z.array(z.string()) });
export type DeliveryReplayResult = z.infer<typeof DeliveryReplayResult>;

export function describeDelivery(d: DeliveryRecord): DeliveryView {
  return {
    id: d.id,
    eventId: d.eventId,
    type: d.type,
    ticketId: d.ticketId,
    destination: d.destination,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === "pending" ? d.nextAttemptAt.toISOString() : null,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}

export const DestinationView = z.object({
  name: z.string(),
  kind: z.enum(DESTINATION_KINDS),
  url: z.string(),
  secretRef: z.string(),
  events: z.array(z.enum(INTEGRATION_EVENT_TYPES)),
  enabled: z.boolean(),
  /** The kind's settings as given (secret references only, never secrets). */
  settings: z.record(z.string(), z.unknown()),
});
export type DestinationView = z.infer<typeof DestinationView>;
export const DestinationList = z.array(DestinationView);
