import type { WebhooksConfig } from "../../sdk/config/runtime.js";
import { log as defaultLog, type LogFn } from "../../sdk/log.js";
import type { DeliveryClaim, DeliveryStore } from "../../sdk/ports/deliveries.js";
import type { EventPublisher } from "../../sdk/ports/event-bus.js";
import { feedbackReceivedEntry } from "../../sdk/schemas/events.js";
import { describeTextFault, findTextFault } from "../../sdk/schemas/safe-text.js";
import { currentTraceContext, inSpan, SpanKind } from "../../sdk/tracing/tracing.js";
import { findJsonNestingFault } from "./json-depth.js";
import {
  mapPayload,
  type PayloadIssue,
  payloadHash,
  WEBHOOK_CHANNELS,
  type WebhookChannel,
} from "./webhook-payloads.js";
import {
  DEFAULT_REPLAY_WINDOW_SECONDS,
  type SignatureCheck,
  verifyGeneric,
  verifyIntercom,
  verifyZendesk,
} from "./webhook-signatures.js";

export { WEBHOOK_CHANNELS, type WebhookChannel };

/** Bodies above this are refused with 413 before their signature is computed. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/**
 * Bodies whose objects and arrays nest deeper than this are refused with 400 before they are parsed: no
 * sender's payload comes near it, and it keeps every later walk of the body (validation, hashing) shallow.
 */
export const MAX_BODY_DEPTH = 32;

/** Longest delivery id kept (a DynamoDB sort key holds 1,024 bytes). */
const MAX_DELIVERY_ID_CHARS = 200;

const UTF8 = new TextDecoder("utf-8", { fatal: true });

export type WebhookSecrets = Partial<Record<WebhookChannel, string>>;

/** An HTTP request as the webhook core sees it, whatever carried it (API Gateway, node:http). */
export interface WebhookRequest {
  method: string;
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface WebhookResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookDeps {
  bus: EventPublisher;
  deliveries: DeliveryStore;
  secrets: WebhookSecrets;
  now?: () => Date;
  maxBodyBytes?: number;
  replayWindowSeconds?: number;
  log?: LogFn;
}

/** `/webhooks/zendesk`, also behind a stage or base path (`/prod/webhooks/zendesk`). */
export function channelOf(path: string): WebhookChannel | null {
  const match = /\/webhooks\/([a-z]+)\/?$/.exec(path.split("?")[0] ?? "");
  const channel = match?.[1];
  return channel && (WEBHOOK_CHANNELS as readonly string[]).includes(channel) ? (channel as WebhookChannel) : null;
}

/** Headers naming a delivery (kept across the sender's retries); Intercom's id is in the body. */
const DELIVERY_HEADERS: Partial<Record<WebhookChannel, string>> = {
  zendesk: "x-zendesk-webhook-invocation-id",
  generic: "x-feedback-delivery",
};

function respond(statusCode: number, body: Record<string, unknown>): WebhookResponse {
  return { statusCode, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(body) };
}

/**
 * One webhook delivery, in this order: route (404), method (405), size (413), the sender's signature
 * over the raw bytes with a constant-time compare and, where the sender signs a timestamp, a replay
 * window (401; checked before the body is parsed), UTF-8 and nesting depth (400, before parsing), JSON and
 * payload validation (400 with the issues: which field, what is wrong), then the delivery id is claimed (a
 * redelivery of the same content answers 200 "duplicate" and publishes nothing; the id reused for other
 * content answers 409) and the standard item is published to the bus (202).
 *
 * Every fault of the request is a 4xx, which senders do not retry. A 5xx means our side failed and the
 * delivery should come again: a failed claim or publish (the claim is released) answers 503, as does a
 * channel whose secret is not configured (nothing is accepted unsigned; API keys alone are never enough).
 */
export async function handleWebhook(deps: WebhookDeps, request: WebhookRequest): Promise<WebhookResponse> {
  const log = deps.log ?? defaultLog;
  const channel = channelOf(request.path);
  if (!channel)
    return respond(404, {
      error: "not_found",
      message: `No webhook at ${request.path}; use /webhooks/zendesk, /webhooks/intercom or /webhooks/generic`,
    });
  if (request.method.toUpperCase() !== "POST")
    return respond(405, { error: "method_not_allowed", message: "Webhooks are POSTed" });
  const maxBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (request.body.byteLength > maxBytes) {
    log("warn", "webhook.too_large", { channel, bytes: request.body.byteLength, maxBytes });
    return respond(413, {
      error: "payload_too_large",
      message: `The body is ${request.body.byteLength} bytes; the limit is ${maxBytes}`,
    });
  }
  const secret = deps.secrets[channel];
  if (!secret) {
    log("error", "webhook.not_configured", { channel });
    return respond(503, { error: "not_configured", message: `The ${channel} webhook has no secret configured` });
  }
  const now = deps.now?.() ?? new Date();
  const check = verifySignature(
    channel,
    secret,
    request,
    now,
    deps.replayWindowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS,
  );
  if (!check.ok) {
    log("warn", "webhook.unauthorized", { channel, reason: check.reason });
    return respond(401, { error: check.reason, message: check.detail });
  }

  let text: string;
  try {
    text = UTF8.decode(request.body);
  } catch {
    return invalid("invalid_encoding", "The body is not UTF-8 text", []);
  }
  const nesting = findJsonNestingFault(text, MAX_BODY_DEPTH);
  if (nesting) {
    log("warn", "webhook.too_deep", { channel, maxDepth: MAX_BODY_DEPTH });
    return invalid("too_deep", `The body nests objects or arrays more than ${MAX_BODY_DEPTH} levels deep`, [
      {
        path: "(body)",
        message: `nested more than ${MAX_BODY_DEPTH} levels at character ${nesting.index + 1}`,
      },
    ]);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    return invalid("invalid_json", `The body is not JSON: ${(error as Error).message}`, []);
  }
  const deliveryHeaderName = DELIVERY_HEADERS[channel];
  const deliveryHeader = headerOf(request, deliveryHeaderName);
  const headerFault = deliveryHeader === undefined ? null : deliveryIdFault(deliveryHeader);
  if (headerFault) {
    log("warn", "webhook.invalid_delivery_id", { channel, reason: headerFault });
    return invalid("invalid_delivery_id", "The delivery id cannot be stored", [
      { path: deliveryHeaderName!, message: headerFault },
    ]);
  }
  const mapped = mapPayload(channel, payload, { deliveryHeader, receivedAt: now });
  if (mapped.kind === "invalid") {
    log("warn", "webhook.invalid_payload", { channel, issues: mapped.issues });
    return invalid("invalid_payload", "The payload does not validate", mapped.issues);
  }
  if (mapped.kind === "ignored") return respond(200, { status: "ignored", reason: mapped.reason });

  const { item, deliveryId } = mapped;
  const idFault = deliveryIdFault(deliveryId);
  if (idFault) {
    log("warn", "webhook.invalid_delivery_id", { channel, reason: idFault });
    return invalid("invalid_delivery_id", "The delivery id cannot be stored", [
      { path: "(delivery id)", message: idFault },
    ]);
  }
  let claim: DeliveryClaim;
  try {
    claim = await deps.deliveries.claim({
      channel,
      deliveryId,
      sourceId: item.sourceId,
      contentHash: payloadHash(payload),
    });
  } catch (error) {
    log("error", "webhook.claim_failed", { channel, deliveryId, error: (error as Error).message });
    return respond(503, { error: "unavailable", message: "The delivery could not be recorded; retry the delivery" });
  }
  if (claim === "duplicate") {
    log("info", "webhook.duplicate", { channel, deliveryId, sourceId: item.sourceId });
    return respond(200, { status: "duplicate", deliveryId, sourceId: item.sourceId });
  }
  if (claim === "conflict") {
    log("warn", "webhook.delivery_conflict", { channel, deliveryId, sourceId: item.sourceId });
    return respond(409, {
      error: "delivery_conflict",
      message: `Delivery id "${deliveryId}" was already accepted with different content; send a new delivery id for new content`,
      deliveryId,
    });
  }
  let eventId: string | null = null;
  let failure: string | null = null;
  try {
    const result = await inSpan(
      "feedback.publish",
      { kind: SpanKind.PRODUCER, attributes: { "feedback.channel": channel, "feedback.source_id": item.sourceId } },
      () => deps.bus.publish([feedbackReceivedEntry(item, currentTraceContext())]),
    );
    eventId = result.eventIds[0] ?? null;
    if (result.failed.length > 0 || !eventId)
      failure = result.failed.map((f) => `${f.errorCode}: ${f.errorMessage}`).join("; ") || "no event id";
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  if (failure !== null) {
    await deps.deliveries.release(channel, deliveryId).catch(() => undefined);
    log("error", "webhook.publish_failed", { channel, deliveryId, sourceId: item.sourceId, error: failure });
    return respond(503, { error: "unavailable", message: "The item could not be queued; retry the delivery" });
  }
  log("info", "webhook.accepted", { channel, deliveryId, sourceId: item.sourceId, eventId });
  return respond(202, { status: "accepted", deliveryId, sourceId: item.sourceId, eventId });
}

/** A 400 naming what is wrong with the request, so the sender fixes it rather than retrying. */
function invalid(error: string, message: string, issues: PayloadIssue[]): WebhookResponse {
  return respond(400, { error, message, issues });
}

/** Why a delivery id cannot be kept (NUL, lone surrogate, too long), or null. */
function deliveryIdFault(deliveryId: string): string | null {
  const fault = findTextFault(deliveryId);
  if (fault) return `contains ${describeTextFault(fault)}`;
  if (deliveryId.length > MAX_DELIVERY_ID_CHARS)
    return `is ${deliveryId.length} characters long; the limit is ${MAX_DELIVERY_ID_CHARS}`;
  return null;
}

function headerOf(request: WebhookRequest, name: string | undefined): string | undefined {
  const value = name ? request.headers[name]?.trim() : undefined;
  return value || undefined;
}

function verifySignature(
  channel: WebhookChannel,
  secret: string,
  request: WebhookRequest,
  now: Date,
  window: number,
): SignatureCheck {
  if (channel === "zendesk") return verifyZendesk(secret, request.headers, request.body, now, window);
  if (channel === "intercom") return verifyIntercom(secret, request.headers, request.body);
  return verifyGeneric(secret, request.headers, request.body, now, window);
}

/** The configured secrets (FEEDBACK_WEBHOOK_SECRET_ZENDESK / _INTERCOM / _GENERIC), by channel. */
export function webhookSecretsOf(config: Pick<WebhooksConfig, "secrets">): WebhookSecrets {
  const secrets: WebhookSecrets = {};
  for (const channel of WEBHOOK_CHANNELS) {
    const value = config.secrets[channel]?.reveal();
    if (value) secrets[channel] = value;
  }
  return secrets;
}
