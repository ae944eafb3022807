import { signGeneric, signIntercom, signZendesk } from "../../../app/webhooks/webhook-signatures.js";
import type { EventPublisher, PublishEntry, PublishResult } from "../../../sdk/ports/event-bus.js";

export const SECRETS = { zendesk: "zd-secret-123", intercom: "ic-secret-456", generic: "gen-secret-789" } as const;

/** A bus that records what it is given; `fail` makes the next publishes fail. */
export class RecordingBus implements EventPublisher {
  readonly published: PublishEntry[] = [];
  fail: "entry" | "throw" | null = null;

  async publish(entries: readonly PublishEntry[]): Promise<PublishResult> {
    if (this.fail === "throw") throw new Error("bus down");
    if (this.fail === "entry")
      return {
        eventIds: entries.map(() => null),
        failed: entries.map((_, index) => ({ index, errorCode: "InternalFailure", errorMessage: "oops" })),
      };
    this.published.push(...entries);
    return { eventIds: entries.map((_, i) => `evt-${this.published.length - entries.length + i}`), failed: [] };
  }
}

export function zendeskBody(ticketId = 35436, overrides: Record<string, unknown> = {}) {
  return JSON.stringify({
    ticket: {
      id: ticketId,
      subject: "App crashes on login",
      description: "Since 3.2.1 the iOS app crashes right after I enter my password.",
      priority: "high",
      tags: ["ios", "crash"],
      created_at: "2026-11-24T10:00:00Z",
      requester: { email: "jane@example.com", name: "Jane" },
      ...overrides,
    },
  });
}

export function intercomBody(conversationId = "123456", overrides: Record<string, unknown> = {}) {
  return JSON.stringify({
    type: "notification_event",
    id: `notif_${conversationId}`,
    topic: "conversation.user.created",
    created_at: 1_764_000_000,
    data: {
      type: "notification_event_data",
      item: {
        type: "conversation",
        id: conversationId,
        created_at: 1_764_000_000,
        source: {
          subject: "",
          body: "<p>Please add <b>dark mode</b> to the Android app.</p><p>Thanks!</p>",
          author: { type: "user", name: "Ola", email: "ola@example.com" },
        },
        ...overrides,
      },
    },
  });
}

export function genericBody(id = "fb-1", overrides: Record<string, unknown> = {}) {
  return JSON.stringify({
    id,
    text: "Checkout button does nothing on Safari 17.",
    rating: 2,
    platform: "web",
    ...overrides,
  });
}

export function signedHeaders(
  channel: "zendesk" | "intercom" | "generic",
  body: string | Buffer,
  now = new Date(),
  secret?: string,
): Record<string, string> {
  if (channel === "zendesk") {
    const timestamp = now.toISOString().replace(/\.\d{3}Z$/, "Z");
    return {
      "x-zendesk-webhook-signature": signZendesk(secret ?? SECRETS.zendesk, timestamp, body),
      "x-zendesk-webhook-signature-timestamp": timestamp,
    };
  }
  if (channel === "intercom") return { "x-hub-signature": signIntercom(secret ?? SECRETS.intercom, body) };
  return { "x-feedback-signature": signGeneric(secret ?? SECRETS.generic, body, Math.floor(now.getTime() / 1000)) };
}
