import type {
  ClaimedDelivery,
  DeliveryOutcome,
  IntegrationDestination,
  IntegrationOutbox,
} from "../../sdk/ports/integrations.js";
import { WebhookPayload } from "../../sdk/schemas/integrations.js";
import { backoffDelayMs, type RetryPolicy, retryAfterMs } from "./backoff.js";
import { signWebhook } from "./signature.js";

/** The longest wait a Retry-After may ask for: past it, a destination's answer is taken as a fault, not a schedule. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60_000;

/** Answers that retrying will not change: the destination's URL or secret needs fixing first (then replay). */
const PERMANENT_STATUSES = new Set([400, 401, 403, 404, 405, 410, 413, 422]);

export interface PostOptions {
  url: string;
  secret: string;
  fetch: typeof fetch;
  timeoutMs: number;
  now: () => Date;
}

/** The body of a delivery: built from the stored event alone, so every redelivery sends the same bytes. */
export function webhookBody(delivery: ClaimedDelivery): string {
  return JSON.stringify(
    WebhookPayload.parse({
      type: delivery.type,
      timestamp: delivery.eventCreatedAt.toISOString(),
      data: delivery.data,
    }),
  );
}

/**
 * The attempt's HTTP answer, or why there was none. `permanent`: retrying cannot help until the destination is
 * fixed (e.g. its settings are invalid), so the delivery fails at once and waits for a replay.
 */
export type PostResult =
  | { status: number; retryAfter: string | null }
  | { error: string; permanent?: boolean }
  /** Nothing to send for this event (the destination does not alert on it). */
  | { skipped: true }
  /** Not yet: the destination's own rate holds it back until `until` (not a failed attempt). */
  | { deferUntil: Date; reason: string };

/** What a deliverer gets besides the delivery: the destination's secret, the outbox (for tracker links), HTTP. */
export interface DeliveryContext {
  secret: string;
  outbox: IntegrationOutbox;
  fetch: typeof fetch;
  timeoutMs: number;
  now: () => Date;
}

/** Sends one event to one kind of destination (a webhook, a tracker, a chat) and says how it went. */
export type Deliverer = (
  delivery: ClaimedDelivery,
  destination: IntegrationDestination,
  context: DeliveryContext,
) => Promise<PostResult>;

/** The built-in kind: POST the event, signed per Standard Webhooks, to the destination's URL. */
export const webhookDeliverer: Deliverer = (delivery, destination, context) =>
  postDelivery(delivery, { ...context, url: destination.url });

/** POSTs one delivery, signed; the event id is the webhook-id, so a receiver can de-duplicate redeliveries. */
export async function postDelivery(delivery: ClaimedDelivery, options: PostOptions): Promise<PostResult> {
  const body = webhookBody(delivery);
  const headers = signWebhook(options.secret, delivery.eventId, options.now(), body);
  try {
    const response = await options.fetch(options.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await response.body?.cancel();
    return { status: response.status, retryAfter: response.headers.get("retry-after") };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    return { error: timedOut ? `timed out after ${options.timeoutMs} ms` : describe(error) };
  }
}

/** What to record for an attempt: delivered, retried later (Retry-After honoured), or given up. */
export function outcomeOf(result: PostResult, attempts: number, policy: RetryPolicy, now: Date): DeliveryOutcome {
  if ("skipped" in result) return { kind: "skipped" };
  if ("deferUntil" in result) return { kind: "deferred", retryAt: result.deferUntil, reason: result.reason };
  if ("status" in result && result.status >= 200 && result.status < 300)
    return { kind: "delivered", status: result.status };
  const status = "status" in result ? result.status : null;
  const error = "error" in result ? result.error : `HTTP ${result.status}`;
  const permanent = "error" in result && result.permanent === true;
  const giveUp = permanent || attempts >= policy.maxAttempts || (status !== null && PERMANENT_STATUSES.has(status));
  if (giveUp) return { kind: "failed", status, error, retryAt: null };
  const asked = "status" in result && (status === 429 || status === 503) ? retryAfterMs(result.retryAfter, now) : null;
  const delay = asked === null ? backoffDelayMs(attempts, policy) : Math.min(asked, MAX_RETRY_AFTER_MS);
  return { kind: "failed", status, error, retryAt: new Date(now.getTime() + delay) };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
