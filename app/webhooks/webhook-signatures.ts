import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signature checks of the three webhook senders. Every comparison is constant-time over the decoded
 * digests (timingSafeEqual), and runs on the raw body bytes before anything parses them.
 */
export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: "missing_signature" | "bad_signature" | "stale_timestamp"; detail: string };

export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

const OK: SignatureCheck = { ok: true };

export function equalDigests(expected: Buffer, given: Buffer): boolean {
  // timingSafeEqual needs equal lengths; compare against itself on a length mismatch so the time
  // taken does not depend on how much of the signature was right.
  if (given.length !== expected.length) {
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(expected, given);
}

function withinWindow(signedAtMs: number, now: Date, windowSeconds: number): boolean {
  return Number.isFinite(signedAtMs) && Math.abs(now.getTime() - signedAtMs) <= windowSeconds * 1000;
}

// ---- Zendesk: base64(HMAC-SHA256(secret, timestamp + body)) --------------------------------------

export const ZENDESK_SIGNATURE_HEADER = "x-zendesk-webhook-signature";
export const ZENDESK_TIMESTAMP_HEADER = "x-zendesk-webhook-signature-timestamp";

export function signZendesk(secret: string, timestamp: string, body: Buffer | string): string {
  return createHmac("sha256", secret).update(timestamp).update(body).digest("base64");
}

export function verifyZendesk(
  secret: string,
  headers: Record<string, string | undefined>,
  body: Buffer,
  now: Date,
  windowSeconds = DEFAULT_REPLAY_WINDOW_SECONDS,
): SignatureCheck {
  const signature = headers[ZENDESK_SIGNATURE_HEADER];
  const timestamp = headers[ZENDESK_TIMESTAMP_HEADER];
  if (!signature || !timestamp) {
    return {
      ok: false,
      reason: "missing_signature",
      detail: `${ZENDESK_SIGNATURE_HEADER} and ${ZENDESK_TIMESTAMP_HEADER} are required`,
    };
  }
  if (!equalDigests(Buffer.from(signZendesk(secret, timestamp, body), "base64"), Buffer.from(signature, "base64"))) {
    return { ok: false, reason: "bad_signature", detail: "the Zendesk signature does not match" };
  }
  if (!withinWindow(Date.parse(timestamp), now, windowSeconds)) {
    return {
      ok: false,
      reason: "stale_timestamp",
      detail: `the signature timestamp is more than ${windowSeconds} s from now`,
    };
  }
  return OK;
}

// ---- Intercom: "sha1=" + hex(HMAC-SHA1(client secret, body)); Intercom signs no timestamp --------

export const INTERCOM_SIGNATURE_HEADER = "x-hub-signature";

export function signIntercom(secret: string, body: Buffer | string): string {
  return `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`;
}

export function verifyIntercom(
  secret: string,
  headers: Record<string, string | undefined>,
  body: Buffer,
): SignatureCheck {
  const header = headers[INTERCOM_SIGNATURE_HEADER];
  if (!header) return { ok: false, reason: "missing_signature", detail: `${INTERCOM_SIGNATURE_HEADER} is required` };
  const match = /^sha1=([0-9a-f]{40})$/i.exec(header.trim());
  const expected = createHmac("sha1", secret).update(body).digest();
  if (!match || !equalDigests(expected, Buffer.from(match[1]!, "hex"))) {
    return { ok: false, reason: "bad_signature", detail: "the Intercom signature does not match" };
  }
  return OK;
}

// ---- Generic (ours): X-Feedback-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")> ----

export const GENERIC_SIGNATURE_HEADER = "x-feedback-signature";

export function signGeneric(
  secret: string,
  body: Buffer | string,
  unixSeconds = Math.floor(Date.now() / 1000),
): string {
  const digest = createHmac("sha256", secret).update(`${unixSeconds}.`).update(body).digest("hex");
  return `t=${unixSeconds},v1=${digest}`;
}

export function verifyGeneric(
  secret: string,
  headers: Record<string, string | undefined>,
  body: Buffer,
  now: Date,
  windowSeconds = DEFAULT_REPLAY_WINDOW_SECONDS,
): SignatureCheck {
  const header = headers[GENERIC_SIGNATURE_HEADER];
  if (!header) return { ok: false, reason: "missing_signature", detail: `${GENERIC_SIGNATURE_HEADER} is required` };
  let timestamp: string | undefined;
  const candidates: string[] = [];
  for (const part of header.split(",")) {
    const [key, value] = part.trim().split("=", 2);
    if (key === "t") timestamp = value;
    else if (key === "v1" && value) candidates.push(value);
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || candidates.length === 0) {
    return {
      ok: false,
      reason: "bad_signature",
      detail: `${GENERIC_SIGNATURE_HEADER} must be t=<unix seconds>,v1=<hex>`,
    };
  }
  const expected = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest();
  let matched = false;
  for (const candidate of candidates.slice(0, 5)) {
    if (/^[0-9a-f]{64}$/i.test(candidate) && equalDigests(expected, Buffer.from(candidate, "hex"))) matched = true;
  }
  if (!matched) return { ok: false, reason: "bad_signature", detail: "the signature does not match" };
  if (!withinWindow(Number(timestamp) * 1000, now, windowSeconds)) {
    return {
      ok: false,
      reason: "stale_timestamp",
      detail: `the signature timestamp is more than ${windowSeconds} s from now`,
    };
  }
  return OK;
}
