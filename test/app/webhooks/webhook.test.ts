import { describe, expect, it } from "vitest";
import { channelOf, handleWebhook, type WebhookDeps, webhookSecretsOf } from "../../../app/webhooks/webhook.js";
import { loadRuntimeConfig } from "../../../sdk/config/runtime.js";
import { memoryLog } from "../../../sdk/log.js";
import { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import { MemoryDeliveryStore } from "../../support/memory-delivery-store.js";
import { genericBody, intercomBody, RecordingBus, SECRETS, signedHeaders, zendeskBody } from "./webhook-fixtures.js";

const NOW = new Date("2026-11-25T12:00:00.000Z");

function setup(overrides: Partial<WebhookDeps> = {}) {
  const bus = new RecordingBus();
  const deliveries = new MemoryDeliveryStore();
  const log = memoryLog();
  const deps: WebhookDeps = { bus, deliveries, secrets: { ...SECRETS }, now: () => NOW, log, ...overrides };
  const post = (path: string, body: string | Buffer, headers: Record<string, string>) =>
    handleWebhook(deps, { method: "POST", path, headers, body: Buffer.isBuffer(body) ? body : Buffer.from(body) });
  return { bus, deliveries, log, deps, post };
}

const json = (response: { body: string }) => JSON.parse(response.body) as Record<string, unknown>;
const itemOf = (bus: RecordingBus, index = 0) =>
  FeedbackItem.parse((bus.published[index]?.detail as { item: unknown }).item);

describe("webhook handler: valid deliveries", () => {
  it("accepts a signed Zendesk ticket (202) and publishes the standard item", async () => {
    const { bus, post } = setup();
    const body = zendeskBody();
    const response = await post("/webhooks/zendesk", body, {
      ...signedHeaders("zendesk", body, NOW),
      "x-zendesk-webhook-invocation-id": "inv-1",
    });
    expect(response.statusCode).toBe(202);
    expect(json(response)).toMatchObject({
      status: "accepted",
      deliveryId: "inv-1",
      sourceId: "zendesk:35436",
      eventId: "evt-0",
    });
    expect(bus.published[0]).toMatchObject({ source: "feedback.webhook", detailType: "FeedbackReceived" });
    expect(itemOf(bus)).toMatchObject({
      sourceType: "webhook",
      sourceId: "zendesk:35436",
      channel: "zendesk",
      subject: "App crashes on login",
      text: "Since 3.2.1 the iOS app crashes right after I enter my password.",
      author: "jane@example.com",
      statedPriority: "high",
      submittedAt: "2026-11-24T10:00:00.000Z",
      metadata: { zendesk: { ticketId: "35436", tags: ["ios", "crash"] } },
    });
  });

  it("accepts a Zendesk event webhook (zen:event-type:ticket.created) keyed by its event id", async () => {
    const { bus, post } = setup();
    const body = JSON.stringify({
      type: "zen:event-type:ticket.created",
      id: "evt-zd-9",
      time: "2026-11-25T11:59:00Z",
      detail: {
        id: "9001",
        subject: "Refund",
        description: "I was charged twice.",
        created_at: "2026-11-25T11:58:00Z",
      },
    });
    const response = await post("/webhooks/zendesk", body, signedHeaders("zendesk", body, NOW));
    expect(response.statusCode).toBe(202);
    expect(json(response)).toMatchObject({ deliveryId: "evt-zd-9", sourceId: "zendesk:9001" });
    expect(itemOf(bus).text).toBe("I was charged twice.");
  });

  it("accepts a signed Intercom conversation, turning its HTML into text", async () => {
    const { bus, post } = setup();
    const body = intercomBody();
    const response = await post("/webhooks/intercom", body, signedHeaders("intercom", body));
    expect(response.statusCode).toBe(202);
    expect(itemOf(bus)).toMatchObject({
      sourceId: "intercom:123456",
      channel: "intercom",
      text: "Please add dark mode to the Android app.\n\nThanks!",
      author: "ola@example.com",
      submittedAt: new Date(1_764_000_000_000).toISOString(),
    });
  });

  it("answers Intercom's ping with 200 and publishes nothing", async () => {
    const { bus, post } = setup();
    const body = JSON.stringify({
      type: "notification_event",
      id: "notif_ping",
      topic: "ping",
      data: { item: { type: "ping", message: "hi" } },
    });
    const response = await post("/webhooks/intercom", body, signedHeaders("intercom", body));
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({ status: "ignored", reason: "ping" });
    expect(bus.published).toEqual([]);
  });

  it("accepts our generic signed JSON, also behind an API Gateway stage path", async () => {
    const { bus, post } = setup();
    const body = genericBody("fb-42", { subject: "Checkout", metadata: { plan: "pro" } });
    const response = await post("/prod/webhooks/generic", body, signedHeaders("generic", body, NOW));
    expect(response.statusCode).toBe(202);
    expect(itemOf(bus)).toMatchObject({
      sourceId: "generic:fb-42",
      channel: "generic",
      rating: 2,
      platform: "web",
      metadata: { plan: "pro" },
    });
  });

  it("takes the app, the feedback's time and the platform of a generic delivery, platform spelled as files are", async () => {
    const { bus, post } = setup();
    const body = genericBody("fb-app", {
      app: "com.example.notes",
      platform: "IOS",
      submittedAt: "2025-02-03T04:05:06Z",
    });
    expect((await post("/webhooks/generic", body, signedHeaders("generic", body, NOW))).statusCode).toBe(202);
    expect(itemOf(bus)).toMatchObject({
      app: "com.example.notes",
      platform: "ios",
      submittedAt: "2025-02-03T04:05:06.000Z",
    });
  });

  it("accepts a generic signature with several v1 values (secret rotation)", async () => {
    const { post } = setup();
    const body = genericBody("fb-rot");
    const good = signedHeaders("generic", body, NOW)["x-feedback-signature"]!;
    const old = signedHeaders("generic", body, NOW, "old-secret")["x-feedback-signature"]!;
    const header = `${good.split(",")[0]},${old.split(",")[1]},${good.split(",")[1]}`;
    expect((await post("/webhooks/generic", body, { "x-feedback-signature": header })).statusCode).toBe(202);
  });
});

describe("webhook handler: redelivery", () => {
  it("makes no second item when the same delivery comes again", async () => {
    const { bus, post } = setup();
    const body = zendeskBody(77);
    const headers = { ...signedHeaders("zendesk", body, NOW), "x-zendesk-webhook-invocation-id": "inv-77" };
    expect((await post("/webhooks/zendesk", body, headers)).statusCode).toBe(202);
    const again = await post("/webhooks/zendesk", body, headers);
    expect(again.statusCode).toBe(200);
    expect(json(again)).toMatchObject({ status: "duplicate", deliveryId: "inv-77" });
    expect(bus.published).toHaveLength(1);
  });

  it("lets exactly one of concurrent deliveries of one id through", async () => {
    const { bus, post } = setup();
    const body = genericBody("fb-race");
    const headers = signedHeaders("generic", body, NOW);
    const responses = await Promise.all(Array.from({ length: 10 }, () => post("/webhooks/generic", body, headers)));
    expect(responses.filter((r) => r.statusCode === 202)).toHaveLength(1);
    expect(bus.published).toHaveLength(1);
  });

  it("releases the delivery when publishing fails (503), so the sender's retry is accepted", async () => {
    const { bus, post } = setup();
    const body = genericBody("fb-retry");
    const headers = signedHeaders("generic", body, NOW);
    bus.fail = "entry";
    expect((await post("/webhooks/generic", body, headers)).statusCode).toBe(503);
    bus.fail = "throw";
    expect((await post("/webhooks/generic", body, headers)).statusCode).toBe(503);
    bus.fail = null;
    expect((await post("/webhooks/generic", body, headers)).statusCode).toBe(202);
    expect(bus.published).toHaveLength(1);
  });
});

describe("webhook handler: rejected deliveries", () => {
  it("401 for a Zendesk signature made with the wrong secret", async () => {
    const { bus, post } = setup();
    const body = zendeskBody();
    const response = await post("/webhooks/zendesk", body, signedHeaders("zendesk", body, NOW, "wrong-secret"));
    expect(response.statusCode).toBe(401);
    expect(json(response).error).toBe("bad_signature");
    expect(bus.published).toEqual([]);
  });

  it("401 for an Intercom signature made with the wrong secret", async () => {
    const { post } = setup();
    const body = intercomBody();
    expect((await post("/webhooks/intercom", body, signedHeaders("intercom", body, NOW, "nope"))).statusCode).toBe(401);
  });

  it("401 for a tampered body, for every sender", async () => {
    const { bus, post } = setup();
    for (const [channel, body] of [
      ["zendesk", zendeskBody()],
      ["intercom", intercomBody()],
      ["generic", genericBody()],
    ] as const) {
      const headers = signedHeaders(channel, body, NOW);
      const tampered = body.replace(/a/, "e");
      const response = await post(`/webhooks/${channel}`, tampered, headers);
      expect(response.statusCode, channel).toBe(401);
    }
    expect(bus.published).toEqual([]);
  });

  it("401 for a stale or future timestamp (replay window of 5 minutes)", async () => {
    const { post } = setup();
    const body = genericBody("fb-stale");
    const stale = await post(
      "/webhooks/generic",
      body,
      signedHeaders("generic", body, new Date(NOW.getTime() - 301_000)),
    );
    expect(stale.statusCode).toBe(401);
    expect(json(stale).error).toBe("stale_timestamp");
    const future = await post(
      "/webhooks/generic",
      body,
      signedHeaders("generic", body, new Date(NOW.getTime() + 301_000)),
    );
    expect(future.statusCode).toBe(401);
    const zdBody = zendeskBody();
    const zdStale = await post(
      "/webhooks/zendesk",
      zdBody,
      signedHeaders("zendesk", zdBody, new Date(NOW.getTime() - 10 * 60_000)),
    );
    expect(json(zdStale).error).toBe("stale_timestamp");
    const justInside = await post(
      "/webhooks/generic",
      body,
      signedHeaders("generic", body, new Date(NOW.getTime() - 299_000)),
    );
    expect(justInside.statusCode).toBe(202);
  });

  it("401 for a missing signature header, for every sender", async () => {
    const { post } = setup();
    for (const [channel, body] of [
      ["zendesk", zendeskBody()],
      ["intercom", intercomBody()],
      ["generic", genericBody()],
    ] as const) {
      const response = await post(`/webhooks/${channel}`, body, {});
      expect(response.statusCode, channel).toBe(401);
      expect(json(response).error).toBe("missing_signature");
    }
    const body = zendeskBody();
    const { "x-zendesk-webhook-signature-timestamp": _, ...withoutTimestamp } = signedHeaders("zendesk", body, NOW);
    expect((await post("/webhooks/zendesk", body, withoutTimestamp)).statusCode).toBe(401);
  });

  it("401 for a malformed signature header, never a crash", async () => {
    const { post } = setup();
    const body = genericBody();
    for (const header of ["garbage", "t=abc,v1=00", "t=1,v1=", `t=${NOW.getTime() / 1000},v1=zz`]) {
      expect((await post("/webhooks/generic", body, { "x-feedback-signature": header })).statusCode).toBe(401);
    }
    expect((await post("/webhooks/intercom", intercomBody(), { "x-hub-signature": "sha256=abc" })).statusCode).toBe(
      401,
    );
    expect(
      (
        await post("/webhooks/zendesk", zendeskBody(), {
          "x-zendesk-webhook-signature": "!!!",
          "x-zendesk-webhook-signature-timestamp": NOW.toISOString(),
        })
      ).statusCode,
    ).toBe(401);
  });

  it("checks the signature before parsing: unsigned invalid JSON is 401, signed invalid JSON is 400", async () => {
    const { post } = setup();
    expect((await post("/webhooks/generic", "{not json", {})).statusCode).toBe(401);
    const signed = await post("/webhooks/generic", "{not json", signedHeaders("generic", "{not json", NOW));
    expect(signed.statusCode).toBe(400);
    expect(json(signed).error).toBe("invalid_json");
  });

  it("413 for an oversized body, before its signature is computed", async () => {
    const { post, log } = setup({ maxBodyBytes: 1_000 });
    const body = genericBody("fb-big", { text: "x".repeat(2_000) });
    const response = await post("/webhooks/generic", body, {});
    expect(response.statusCode).toBe(413);
    expect(log.entries.map((e) => e.event)).toEqual(["webhook.too_large"]);
  });

  it("400 with the validation errors of a payload that does not fit", async () => {
    const { bus, post } = setup();
    const cases: [string, string, string][] = [
      ["generic", JSON.stringify({ id: "x", text: "   " }), "text"],
      ["generic", JSON.stringify({ text: "no id" }), "id"],
      ["generic", JSON.stringify({ id: "x", text: "ok", rating: 9 }), "rating"],
      ["generic", JSON.stringify({ id: "x", text: "ok", unknownField: 1 }), "(body)"],
      ["generic", JSON.stringify({ id: "x", text: "y".repeat(20_001) }), "text"],
      ["generic", JSON.stringify({ id: "x", text: "ok", submittedAt: "yesterday" }), "submittedAt"],
      ["zendesk", JSON.stringify({ ticket: { subject: "no id" } }), "ticket.id"],
      [
        "intercom",
        JSON.stringify({
          type: "notification_event",
          id: "n1",
          topic: "conversation.user.created",
          data: { item: { type: "conversation" } },
        }),
        "data.item",
      ],
    ];
    for (const [channel, body, path] of cases) {
      const response = await post(`/webhooks/${channel}`, body, signedHeaders(channel as "generic", body, NOW));
      expect(response.statusCode, body.slice(0, 60)).toBe(400);
      const issues = json(response).issues as { path: string }[];
      expect(
        issues.some((i) => i.path.startsWith(path)),
        `${body.slice(0, 60)} -> ${JSON.stringify(issues)}`,
      ).toBe(true);
    }
    expect(bus.published).toEqual([]);
  });

  it("503 for a channel without a configured secret: nothing is accepted unsigned", async () => {
    const { post } = setup({ secrets: { generic: SECRETS.generic } });
    const body = zendeskBody();
    const response = await post("/webhooks/zendesk", body, signedHeaders("zendesk", body, NOW));
    expect(response.statusCode).toBe(503);
    expect(json(response).error).toBe("not_configured");
  });

  it("404 for an unknown path and 405 for a GET", async () => {
    const { deps } = setup();
    expect(
      (await handleWebhook(deps, { method: "POST", path: "/webhooks/github", headers: {}, body: Buffer.from("{}") }))
        .statusCode,
    ).toBe(404);
    expect(
      (await handleWebhook(deps, { method: "GET", path: "/webhooks/generic", headers: {}, body: Buffer.alloc(0) }))
        .statusCode,
    ).toBe(405);
  });
});

/** The status and the fields of a JSON answer. */
function expectAnswer(response: { statusCode: number; body: string }, status: number, fields: Record<string, unknown>) {
  expect(response.statusCode, response.body.slice(0, 200)).toBe(status);
  expect(JSON.parse(response.body)).toMatchObject(fields);
}

describe("webhook handler: every fault of the request is a 4xx with its issues, never a 5xx", () => {
  const nested = (levels: number, leaf = '"x"') => '{"a":'.repeat(levels) + leaf + "}".repeat(levels);
  const issuesOf = (response: { body: string }) => json(response).issues as { path: string; message: string }[];

  it("400 for a body nested deeper than 32 levels, found before anything walks it (also where the schema ignores it)", async () => {
    const { bus, post } = setup();
    for (const [channel, body] of [
      ["zendesk", zendeskBody(7, { via: "@" }).replace('"@"', nested(5_000))],
      ["generic", genericBody("deep", { metadata: { d: "@" } }).replace('"@"', nested(5_000))],
      ["intercom", intercomBody("5", { extra: "@" }).replace('"@"', nested(20_000))],
      ["generic", "[".repeat(200_000)],
    ] as const) {
      const response = await post(`/webhooks/${channel}`, body, signedHeaders(channel, body, NOW));
      expect(response.statusCode, channel).toBe(400);
      expect(json(response)).toMatchObject({ error: "too_deep" });
      expect(issuesOf(response)[0]).toMatchObject({
        path: "(body)",
        message: expect.stringMatching(/more than 32 levels/),
      });
    }
    expect(bus.published).toEqual([]);
  });

  it("still accepts a body nested 32 levels where the payload allows it, and counts brackets in strings as text", async () => {
    const { post } = setup();
    const body = zendeskBody(8, { via: nested(30), subject: "[[[[{{{{".repeat(10) });
    expect((await post("/webhooks/zendesk", body, signedHeaders("zendesk", body, NOW))).statusCode).toBe(202);
  });

  it("400 naming the field for NUL and lone surrogates, escaped or not, in any stored field", async () => {
    const { bus, post } = setup();
    const cases: [string, string, string][] = [
      ["generic", genericBody("n1", { text: "a\u0000b" }), "text"],
      ["generic", genericBody("n2", { subject: "a\ud800" }), "subject"],
      ["generic", genericBody("n3", { metadata: { "k\u0000": 1 } }), "metadata"],
      ["generic", genericBody("n4\u0000"), "sourceId"],
      ["zendesk", zendeskBody(9, { tags: ["a\udfff"] }), "metadata"],
      ["intercom", intercomBody("c\u0000"), "sourceId"],
    ];
    for (const [channel, body, path] of cases) {
      const response = await post(`/webhooks/${channel}`, body, signedHeaders(channel as "generic", body, NOW));
      expect(response.statusCode, body).toBe(400);
      expect(
        issuesOf(response).some((i) => i.path === path && /NUL|surrogate/.test(i.message)),
        body,
      ).toBe(true);
    }
    expect(bus.published).toEqual([]);
  });

  it("400 for HTML nested too deeply to turn into text (it used to overflow the stack)", async () => {
    const { bus, post } = setup();
    const body = zendeskBody(10, { description: `${"<div>".repeat(20_000)}x` });
    const response = await post("/webhooks/zendesk", body, signedHeaders("zendesk", body, NOW));
    expect(response.statusCode).toBe(400);
    expect(issuesOf(response)).toEqual([
      { path: "ticket.description", message: "the HTML is nested too deeply to turn into text" },
    ]);
    expect(bus.published).toEqual([]);
  });

  it("400 for a body that is not UTF-8", async () => {
    const { bus, post } = setup();
    const body = Buffer.concat([Buffer.from('{"id":"u1","text":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const response = await post("/webhooks/generic", body, signedHeaders("generic", body, NOW));
    expectAnswer(response, 400, { error: "invalid_encoding" });
    expect(bus.published).toEqual([]);
  });

  it("400 for a delivery id that cannot be stored (as an API Gateway event can carry one), naming the header", async () => {
    const { bus, post } = setup();
    const body = genericBody("id-1");
    for (const header of ["a\u0000b", "a\ud800", "x".repeat(201)]) {
      const response = await post("/webhooks/generic", body, {
        ...signedHeaders("generic", body, NOW),
        "x-feedback-delivery": header,
      });
      expect(response.statusCode, header.slice(0, 20)).toBe(400);
      expect(issuesOf(response)[0]?.path).toBe("x-feedback-delivery");
    }
    const zendesk = JSON.stringify({
      type: "zen:event-type:ticket.created",
      id: "e".repeat(1_000),
      detail: { id: 1, description: "Long event id" },
    });
    const response = await post("/webhooks/zendesk", zendesk, signedHeaders("zendesk", zendesk, NOW));
    expect(response.statusCode).toBe(400);
    expect(issuesOf(response)[0]).toMatchObject({
      path: "(delivery id)",
      message: expect.stringMatching(/limit is 200/),
    });
    expect(bus.published).toEqual([]);
  });

  it("503 (retry) when the delivery store fails: our fault, not the sender's", async () => {
    const { bus, post } = setup({
      deliveries: {
        claim: async () => {
          throw new Error("database unavailable");
        },
        release: async () => undefined,
      },
    });
    const body = genericBody("store-down");
    const response = await post("/webhooks/generic", body, signedHeaders("generic", body, NOW));
    expectAnswer(response, 503, { error: "unavailable" });
    expect(bus.published).toEqual([]);
  });
});

describe("webhook handler: a delivery id reused for other content", () => {
  it("409 naming the delivery id, and publishes nothing; the same content again stays a 200 duplicate", async () => {
    const { bus, post } = setup();
    const first = genericBody("fb-9", { text: "The first version." });
    const headers = (body: string) => ({ ...signedHeaders("generic", body, NOW), "x-feedback-delivery": "dlv-9" });
    expect((await post("/webhooks/generic", first, headers(first))).statusCode).toBe(202);
    const other = genericBody("fb-9", { text: "Something else entirely." });
    const conflict = await post("/webhooks/generic", other, headers(other));
    expectAnswer(conflict, 409, { error: "delivery_conflict", deliveryId: "dlv-9" });
    expect(json(conflict).message).toMatch(/dlv-9/);
    const respaced = JSON.stringify(JSON.parse(first), null, 2);
    const again = await post("/webhooks/generic", respaced, headers(respaced));
    expectAnswer(again, 200, { status: "duplicate", deliveryId: "dlv-9" });
    expect(bus.published).toHaveLength(1);
  });

  it("a Zendesk trigger without an invocation id that fires again on an update is a new delivery, not a 409", async () => {
    const { bus, post } = setup();
    const send = (body: string) => post("/webhooks/zendesk", body, signedHeaders("zendesk", body, NOW));
    const created = zendeskBody(500, { updated_at: "2026-11-25T10:00:00Z" });
    const updated = zendeskBody(500, { updated_at: "2026-11-25T11:00:00Z", description: "Now it also freezes." });
    const first = await send(created);
    expect(first.statusCode).toBe(202);
    expect(json(first).deliveryId).toBe("ticket-500@2026-11-25T10:00:00Z");
    expect((await send(updated)).statusCode).toBe(202);
    expect((await send(updated)).statusCode).toBe(200);
    // Without updated_at in the trigger's body, the id carries a hash of the content.
    const plainTrigger = zendeskBody(501);
    const edited = zendeskBody(501, { description: "Edited." });
    const plainFirst = await send(plainTrigger);
    expect(json(plainFirst).deliveryId).toMatch(/^ticket-501#[0-9a-f]{16}$/);
    expect((await send(edited)).statusCode).toBe(202);
    expect((await send(plainTrigger)).statusCode).toBe(200);
    expect(bus.published).toHaveLength(4);
  });

  it("a delivery remembered from before content hashes were kept is a duplicate, whatever comes under its id", async () => {
    const { bus, deliveries, post } = setup();
    deliveries.rememberWithoutHash("generic", "legacy-1");
    const body = genericBody("legacy-1");
    const response = await post("/webhooks/generic", body, signedHeaders("generic", body, NOW));
    expectAnswer(response, 200, { status: "duplicate" });
    expect(bus.published).toEqual([]);
  });
});

describe("webhook helpers", () => {
  it("routes by the last path segments", () => {
    expect(channelOf("/webhooks/zendesk")).toBe("zendesk");
    expect(channelOf("/v1/webhooks/intercom/")).toBe("intercom");
    expect(channelOf("/webhooks/generic?x=1")).toBe("generic");
    expect(channelOf("/webhooks")).toBeNull();
  });

  it("takes the secrets configured by FEEDBACK_WEBHOOK_SECRET_*", () => {
    const config = loadRuntimeConfig({ FEEDBACK_WEBHOOK_SECRET_ZENDESK: "a", FEEDBACK_WEBHOOK_SECRET_GENERIC: "c" });
    expect(webhookSecretsOf(config.webhooks)).toEqual({ zendesk: "a", generic: "c" });
  });
});
