import { z } from "zod";
import { INTEGRATION_EVENT_TYPES } from "../ports/integrations.js";

/** What an outbound webhook says about its ticket: the triage facts, never the feedback's own text. */
export const TicketEventData = z.object({
  ticketId: z.string().uuid(),
  title: z.string(),
  category: z.string(),
  priority: z.string(),
  status: z.string(),
  reach: z.number().int(),
  app: z.string().nullable(),
  sourceType: z.string(),
  mergedInto: z.string().uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TicketEventData = z.infer<typeof TicketEventData>;

/** The body of an outbound webhook (Standard Webhooks' recommended shape: type, timestamp, data). */
export const WebhookPayload = z.object({
  type: z.enum(INTEGRATION_EVENT_TYPES),
  /** When the ticket change happened (the event's time; the same on every redelivery). */
  timestamp: z.string(),
  data: TicketEventData,
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;
