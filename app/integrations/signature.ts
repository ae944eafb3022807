import { createHmac } from "node:crypto";

/** The headers a signed delivery carries, per the Standard Webhooks specification. */
export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** The key a "whsec_<base64>" secret stands for (a secret without the prefix is taken as base64 too). */
export function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
}

/** Signs `id.timestamp.body` with HMAC-SHA256; the timestamp is in whole seconds since the epoch. */
export function signWebhook(secret: string, id: string, timestamp: Date, body: string): SignedHeaders {
  const seconds = String(Math.floor(timestamp.getTime() / 1000));
  const signature = createHmac("sha256", secretKey(secret)).update(`${id}.${seconds}.${body}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": seconds, "webhook-signature": `v1,${signature}` };
}
