import { createHash } from "node:crypto";
import { z } from "zod";
import { computeContentHash } from "../../sdk/ingest/content-hash.js";
import { normalizePlatform } from "../../sdk/ingest/fields.js";
import { htmlToText, looksLikeHtml } from "../../sdk/ingest/html-text.js";
import { FeedbackItem, type FeedbackItemInput } from "../../sdk/schemas/feedback.js";

export const WEBHOOK_CHANNELS = ["zendesk", "intercom", "generic"] as const;
export type WebhookChannel = (typeof WEBHOOK_CHANNELS)[number];

export interface PayloadIssue {
  path: string;
  message: string;
}

/** What one delivery means: an item to publish, or an event to acknowledge without one (a ping). */
export type MappedPayload =
  | { kind: "item"; deliveryId: string; item: FeedbackItem }
  | { kind: "ignored"; deliveryId: string | null; reason: string }
  | { kind: "invalid"; issues: PayloadIssue[] };

const id = z.union([z.string().min(1).max(150), z.number().int().nonnegative()]).transform(String);
const time = z.union([z.string().min(1), z.number()]).nullish();

// ---- Zendesk: a trigger's JSON body ({ ticket: {...} }) or an event webhook ({ type, id, detail }) ----

const ZendeskTicket = z.object({
  id,
  subject: z.string().nullish(),
  description: z.string().nullish(),
  latest_comment: z.string().nullish(),
  priority: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  url: z.string().nullish(),
  created_at: time,
  updated_at: time,
  locale: z.string().nullish(),
  via: z.unknown().optional(),
  requester: z.object({ email: z.string().nullish(), name: z.string().nullish() }).partial().nullish(),
  requester_id: z.union([z.string(), z.number()]).nullish(),
});

export const ZendeskTriggerPayload = z.object({ ticket: ZendeskTicket }).loose();
export const ZendeskEventPayload = z
  .object({
    type: z.string().startsWith("zen:event-type:ticket."),
    id: z.string().min(1),
    time: time,
    detail: ZendeskTicket,
  })
  .loose();

// ---- Intercom: a notification_event; "ping" carries no conversation --------------------------------

const IntercomConversation = z.object({
  type: z.literal("conversation"),
  id,
  created_at: time,
  title: z.string().nullish(),
  priority: z.string().nullish(),
  source: z.object({
    subject: z.string().nullish(),
    body: z.string().nullish(),
    url: z.string().nullish(),
    author: z
      .object({ email: z.string().nullish(), name: z.string().nullish(), type: z.string().nullish() })
      .partial()
      .nullish(),
  }),
});

export const IntercomPayload = z
  .object({
    type: z.literal("notification_event"),
    id: z.string().min(1).max(150),
    topic: z.string().min(1),
    created_at: time,
    data: z.object({ item: z.unknown() }).loose().nullish(),
  })
  .loose();

// ---- Generic: our own documented shape (docs/webhooks.md) ------------------------------------------

export const GenericPayload = z
  .object({
    id,
    text: z.string(),
    subject: z.string().nullish(),
    author: z.string().nullish(),
    rating: z.number().int().min(1).max(5).nullish(),
    priority: z.string().nullish(),
    appVersion: z.string().nullish(),
    device: z.string().nullish(),
    platform: z.string().nullish(),
    language: z.string().nullish(),
    app: z.string().nullish(),
    submittedAt: time,
    source: z.string().max(100).nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  })
  .strict();

function issuesOf(error: z.ZodError): PayloadIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join(".") || "(body)", message: issue.message }));
}

function isoTime(value: string | number | null | undefined): string | null | "invalid" {
  if (value === null || value === undefined || value === "") return null;
  const date = typeof value === "number" ? new Date(value < 1e11 ? value * 1000 : value) : new Date(value);
  return Number.isNaN(date.getTime()) ? "invalid" : date.toISOString();
}

/** An input fault found while mapping a payload that validated (HTML too deeply nested to read). */
class PayloadFault extends Error {
  constructor(readonly issue: PayloadIssue) {
    super(issue.message);
  }
}

function plain(text: string | null | undefined, path: string): string {
  if (!text) return "";
  if (!looksLikeHtml(text)) return text.trim();
  try {
    return htmlToText(text);
  } catch (error) {
    // The converter walks the element tree recursively: thousands of nested tags overflow the stack.
    if (error instanceof RangeError)
      throw new PayloadFault({ path, message: "the HTML is nested too deeply to turn into text" });
    throw error;
  }
}

/** The standard item, or the validation issues of the fields that fail (text too long, empty, ...). */
function buildItem(
  input: Omit<FeedbackItemInput, "contentHash" | "sourceType">,
  submittedAt: string | number | null | undefined,
): MappedPayload | FeedbackItem {
  const iso = isoTime(submittedAt);
  if (iso === "invalid")
    return { kind: "invalid", issues: [{ path: "submittedAt", message: `"${submittedAt}" is not a date` }] };
  const text = input.text ?? "";
  const subject = input.subject ?? null;
  const parsed = FeedbackItem.safeParse({
    ...input,
    // The same platform keys as file ingest ("iOS", "IOS" -> "ios").
    platform: input.platform ? normalizePlatform(input.platform) : null,
    sourceType: "webhook",
    submittedAt: iso,
    contentHash: computeContentHash(text || " ", subject),
  });
  if (!parsed.success) return { kind: "invalid", issues: issuesOf(parsed.error) };
  return parsed.data;
}

export interface DeliveryMeta {
  /** The sender's delivery id header, when it sends one. */
  deliveryHeader?: string;
  receivedAt: Date;
}

export function mapPayload(channel: WebhookChannel, body: unknown, meta: DeliveryMeta): MappedPayload {
  try {
    if (channel === "zendesk") return mapZendesk(body, meta);
    if (channel === "intercom") return mapIntercom(body, meta);
    return mapGeneric(body, meta);
  } catch (error) {
    if (error instanceof PayloadFault) return { kind: "invalid", issues: [error.issue] };
    throw error;
  }
}

/**
 * A fingerprint of what a delivery carries: sha256 of the body's JSON with object keys sorted, so the
 * sender's retry of one delivery matches however it spaces or orders the JSON, and other content does not.
 * Only for bodies already bounded in depth (see `findJsonNestingFault`): it recurses.
 */
export function payloadHash(body: unknown): string {
  return createHash("sha256").update(canonicalJson(body)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function mapZendesk(body: unknown, meta: DeliveryMeta): MappedPayload {
  const isEvent = typeof body === "object" && body !== null && typeof (body as { type?: unknown }).type === "string";
  const parsed = (isEvent ? ZendeskEventPayload : ZendeskTriggerPayload).safeParse(body);
  if (!parsed.success) return { kind: "invalid", issues: issuesOf(parsed.error) };
  type Ticket = z.infer<typeof ZendeskTicket>;
  const data = parsed.data as { ticket?: Ticket; type?: string; id?: string; detail?: Ticket };
  const event = data.type && data.detail ? { type: data.type, id: data.id } : null;
  const ticket = (event ? data.detail : data.ticket) as Ticket;
  // Without an invocation header or event id, the id names this version of the ticket, so a trigger that
  // fires again on an update is a new delivery, and only a true resend is a duplicate.
  const deliveryId =
    meta.deliveryHeader ??
    event?.id ??
    (ticket.updated_at
      ? `ticket-${ticket.id}@${ticket.updated_at}`
      : `ticket-${ticket.id}#${payloadHash(body).slice(0, 16)}`);
  const built = buildItem(
    {
      sourceId: `zendesk:${ticket.id}`,
      channel: "zendesk",
      text: plain(
        ticket.description ?? ticket.latest_comment,
        `${event ? "detail" : "ticket"}.${ticket.description ? "description" : "latest_comment"}`,
      ),
      subject: ticket.subject?.trim() || null,
      author: ticket.requester?.email ?? ticket.requester?.name ?? null,
      statedPriority: ticket.priority?.toLowerCase() ?? null,
      language: ticket.locale ?? null,
      metadata: {
        webhook: {
          channel: "zendesk",
          deliveryId,
          receivedAt: meta.receivedAt.toISOString(),
          event: event?.type ?? null,
        },
        zendesk: { ticketId: ticket.id, url: ticket.url ?? null, tags: ticket.tags ?? [] },
      },
    },
    ticket.created_at,
  );
  return "kind" in built ? built : { kind: "item", deliveryId, item: built };
}

function mapIntercom(body: unknown, meta: DeliveryMeta): MappedPayload {
  const parsed = IntercomPayload.safeParse(body);
  if (!parsed.success) return { kind: "invalid", issues: issuesOf(parsed.error) };
  const notification = parsed.data;
  const deliveryId = meta.deliveryHeader ?? notification.id;
  if (notification.topic === "ping") return { kind: "ignored", deliveryId, reason: "ping" };
  const conversation = IntercomConversation.safeParse(notification.data?.item);
  if (!conversation.success) {
    if (!notification.topic.startsWith("conversation."))
      return { kind: "ignored", deliveryId, reason: `topic ${notification.topic} carries no conversation` };
    return {
      kind: "invalid",
      issues: issuesOf(conversation.error).map((i) => ({ ...i, path: `data.item.${i.path}` })),
    };
  }
  const item = conversation.data;
  const built = buildItem(
    {
      sourceId: `intercom:${item.id}`,
      channel: "intercom",
      text: plain(item.source.body, "data.item.source.body"),
      subject: plain(item.source.subject, "data.item.source.subject") || item.title?.trim() || null,
      author: item.source.author?.email ?? item.source.author?.name ?? null,
      statedPriority: item.priority === "priority" ? "high" : null,
      metadata: {
        webhook: {
          channel: "intercom",
          deliveryId,
          receivedAt: meta.receivedAt.toISOString(),
          topic: notification.topic,
        },
        intercom: { conversationId: item.id, url: item.source.url ?? null },
      },
    },
    item.created_at ?? notification.created_at,
  );
  return "kind" in built ? built : { kind: "item", deliveryId, item: built };
}

function mapGeneric(body: unknown, meta: DeliveryMeta): MappedPayload {
  const parsed = GenericPayload.safeParse(body);
  if (!parsed.success) return { kind: "invalid", issues: issuesOf(parsed.error) };
  const p = parsed.data;
  const deliveryId = meta.deliveryHeader ?? p.id;
  const built = buildItem(
    {
      sourceId: `generic:${p.id}`,
      channel: "generic",
      text: p.text.trim(),
      subject: p.subject?.trim() || null,
      author: p.author ?? null,
      rating: p.rating ?? null,
      statedPriority: p.priority ?? null,
      appVersion: p.appVersion ?? null,
      device: p.device ?? null,
      platform: p.platform ?? null,
      language: p.language ?? null,
      app: p.app?.trim() || null,
      metadata: {
        ...(p.metadata ?? {}),
        webhook: {
          channel: "generic",
          deliveryId,
          receivedAt: meta.receivedAt.toISOString(),
          source: p.source ?? null,
        },
      },
    },
    p.submittedAt,
  );
  return "kind" in built ? built : { kind: "item", deliveryId, item: built };
}
