import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { S3ArtifactStore } from "../../../sdk/aws/artifacts.js";
import { S3ObjectReader } from "../../../sdk/aws/objects.js";
import { SqsQueue } from "../../../sdk/aws/queue.js";
import { memoryLog } from "../../../sdk/log.js";
import { FEEDBACK_RECEIVED, QueueMessageBody } from "../../../sdk/schemas/events.js";
import { ticketKey } from "../../../sdk/store/ticket-writer.js";
import { createIngestionHandler, IngestionRejectedError } from "../../../worker/handlers/ingestion-lambda.js";
import { objectsOf } from "../../../worker/handlers/s3-objects.js";
import { createUploadHandler, processUpload } from "../../../worker/handlers/s3-upload-lambda.js";
import { createWebhookLambda, toWebhookRequest } from "../../../worker/handlers/webhook-lambda.js";
import { genericBody, RecordingBus, SECRETS, signedHeaders } from "../../app/webhooks/webhook-fixtures.js";
import { FakeSqs } from "../../sdk/aws/fakes/fake-sqs.js";
import { makeItem } from "../../support/factories.js";
import { MemoryDeliveryStore } from "../../support/memory-delivery-store.js";

const credentials = { accessKeyId: "t", secretAccessKey: "t" };

function envelope(item: unknown, id: string = randomUUID()) {
  return {
    id,
    version: "0",
    source: "feedback.webhook",
    "detail-type": FEEDBACK_RECEIVED,
    time: "2026-11-25T10:00:00Z",
    region: "eu-west-1",
    account: "123456789012",
    resources: [],
    detail: { item },
  };
}

describe("ingestion Lambda (EventBridge -> ingestEvents -> SQS)", () => {
  it("sends a valid FeedbackReceived event to the queue as a feedback.process message", async () => {
    const sqs = new FakeSqs();
    const queueUrl = sqs.createQueue("feedback-queue");
    const log = memoryLog();
    const handler = createIngestionHandler(() => ({ queue: new SqsQueue(sqs.client, { queueUrl }), log }));
    const item = makeItem();
    expect(await handler(envelope(item, "evt-1"))).toEqual({ enqueued: 1 });
    const [message] = sqs.messages(queueUrl);
    expect(QueueMessageBody.parse(JSON.parse(message!.body))).toMatchObject({
      kind: "feedback.process",
      eventId: "evt-1",
      item,
    });
    expect(log.entries.map((e) => e.event)).toEqual(["ingestion.enqueued"]);
  });

  it("throws (so the event ends in the Lambda's DLQ) and logs the reason for an invalid event", async () => {
    const sqs = new FakeSqs();
    const queueUrl = sqs.createQueue("feedback-queue");
    const log = memoryLog();
    const handler = createIngestionHandler(() => ({ queue: new SqsQueue(sqs.client, { queueUrl }), log }));
    const bad = envelope({ ...makeItem(), text: "" }, "evt-bad");
    const error = await handler(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestionRejectedError);
    expect((error as IngestionRejectedError).rejected).toEqual([
      { eventId: "evt-bad", reason: expect.stringMatching(/detail\.item\.text/) },
    ]);
    expect(log.entries.find((e) => e.event === "ingestion.rejected")?.fields).toMatchObject({ eventId: "evt-bad" });
    expect(sqs.messages(queueUrl)).toEqual([]);
    await expect(handler({ hello: "world" })).rejects.toThrow(/\(no id\)/);
  });
});

describe("webhook Lambda (API Gateway proxy)", () => {
  it("converts REST v1 and HTTP v2 events: lower-case headers, base64 bodies, the channel from the path", () => {
    const v1 = toWebhookRequest({
      httpMethod: "POST",
      path: "/prod/webhooks/generic",
      headers: { "X-Feedback-Signature": "t=1,v1=a" },
      body: "eyJhIjoxfQ==",
      isBase64Encoded: true,
    });
    expect(v1).toEqual({
      method: "POST",
      path: "/prod/webhooks/generic",
      headers: { "x-feedback-signature": "t=1,v1=a" },
      body: Buffer.from('{"a":1}'),
    });
    const v2 = toWebhookRequest({
      rawPath: "/webhooks/zendesk",
      requestContext: { http: { method: "POST" } },
      body: "{}",
      pathParameters: { channel: "zendesk" },
    });
    expect(v2).toMatchObject({ method: "POST", path: "/webhooks/zendesk", body: Buffer.from("{}") });
  });

  it("answers 202 for a signed delivery and 401 for an unsigned one", async () => {
    const bus = new RecordingBus();
    const handler = createWebhookLambda(async () => ({
      bus,
      deliveries: new MemoryDeliveryStore(),
      secrets: { ...SECRETS },
    }));
    const body = genericBody("lambda-1");
    const ok = await handler({
      httpMethod: "POST",
      path: "/webhooks/generic",
      headers: signedHeaders("generic", body),
      body,
    });
    expect(ok.statusCode).toBe(202);
    expect(ok.headers["content-type"]).toMatch(/application\/json/);
    expect((await handler({ httpMethod: "POST", path: "/webhooks/generic", headers: {}, body })).statusCode).toBe(401);
    expect(bus.published).toHaveLength(1);
  });
});

/** The status and the fields of a JSON answer. */
function expectAnswer(response: { statusCode: number; body: string }, status: number, fields: Record<string, unknown>) {
  expect(response.statusCode, response.body.slice(0, 200)).toBe(status);
  expect(JSON.parse(response.body)).toMatchObject(fields);
}

describe("webhook Lambda: faults of the request are 4xx with their issues, ours are 5xx", () => {
  const post = (handler: ReturnType<typeof createWebhookLambda>, body: string | Buffer, headers = {}) =>
    handler({
      httpMethod: "POST",
      path: "/prod/webhooks/generic",
      headers: { ...signedHeaders("generic", body), ...headers },
      body: Buffer.isBuffer(body) ? body.toString("base64") : body,
      isBase64Encoded: Buffer.isBuffer(body),
    });
  const lambda = () => {
    const bus = new RecordingBus();
    const deliveries = new MemoryDeliveryStore();
    return { bus, handler: createWebhookLambda(async () => ({ bus, deliveries, secrets: { ...SECRETS } })) };
  };
  const json = (response: { body: string }) => JSON.parse(response.body) as Record<string, unknown>;

  it("400 with the issue for NUL or a lone surrogate in the text, a deep body, a body that is not UTF-8", async () => {
    const { bus, handler } = lambda();
    const nul = await post(handler, genericBody("l-nul", { text: "a\u0000b" }));
    expect(nul.statusCode).toBe(400);
    expect(json(nul).issues).toEqual([{ path: "text", message: expect.stringMatching(/NUL character/) }]);
    const surrogate = await post(handler, genericBody("l-sur", { subject: "\udc00" }));
    expect(surrogate.statusCode).toBe(400);
    expect(json(surrogate).issues).toEqual([
      { path: "subject", message: expect.stringMatching(/lone UTF-16 surrogate/) },
    ]);
    const deep = await post(
      handler,
      genericBody("l-deep", { metadata: { d: "@" } }).replace('"@"', `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`),
    );
    expectAnswer(deep, 400, { error: "too_deep", issues: [{ path: "(body)" }] });
    const latin1 = await post(handler, Buffer.from('{"id":"l-enc","text":"caf\xe9"}', "latin1"));
    expectAnswer(latin1, 400, { error: "invalid_encoding" });
    expect(bus.published).toEqual([]);
  });

  it("400 naming the header for a delivery id an event carries with a NUL; 409 for an id reused for other content", async () => {
    const { bus, handler } = lambda();
    const body = genericBody("l-id");
    const bad = await post(handler, body, { "X-Feedback-Delivery": "d\u0000" });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).issues).toEqual([{ path: "x-feedback-delivery", message: expect.stringMatching(/NUL/) }]);
    expect((await post(handler, body, { "X-Feedback-Delivery": "d-1" })).statusCode).toBe(202);
    expect((await post(handler, body, { "X-Feedback-Delivery": "d-1" })).statusCode).toBe(200);
    const other = genericBody("l-id", { text: "Different words." });
    const conflict = await post(handler, other, { "X-Feedback-Delivery": "d-1" });
    expectAnswer(conflict, 409, { error: "delivery_conflict", deliveryId: "d-1" });
    expect(bus.published).toHaveLength(1);
  });

  it("500 in JSON (retry), not a thrown error, when its dependencies cannot be built; 503 when the store fails", async () => {
    const broken = createWebhookLambda(async () => {
      throw new Error("no table configured");
    });
    const body = genericBody("l-500");
    const response = await post(broken, body);
    expectAnswer(response, 500, { error: "internal" });
    const storeDown = createWebhookLambda(async () => ({
      bus: new RecordingBus(),
      deliveries: {
        claim: () => Promise.reject(new Error("ProvisionedThroughputExceeded")),
        release: async () => undefined,
      },
      secrets: { ...SECRETS },
      log: memoryLog(),
    }));
    expect((await post(storeDown, body)).statusCode).toBe(503);
  });
});

describe("S3 upload Lambda", () => {
  const s3 = new S3Client({ region: "eu-west-1", credentials });
  const mock = mockClient(s3);
  const objects = new Map<string, string>();
  mock.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const text = objects.get(input.Key);
    if (text === undefined) throw new Error(`no object ${input.Key}`);
    return { Body: Readable.from([Buffer.from(text.slice(0, 40)), Buffer.from(text.slice(40))]) };
  });
  mock.on(PutObjectCommand).resolves({});
  const reader = new S3ObjectReader(s3);

  it("reads S3 notifications (URL-encoded keys) and EventBridge Object Created events", () => {
    expect(
      objectsOf({
        Records: [{ s3: { bucket: { name: "up" }, object: { key: "reviews/March+2026%2C+EU.csv", size: 10 } } }],
      }),
    ).toEqual([{ bucket: "up", key: "reviews/March 2026, EU.csv", size: 10 }]);
    expect(
      objectsOf({
        source: "aws.s3",
        "detail-type": "Object Created",
        detail: { bucket: { name: "up" }, object: { key: "a b.json" } },
      }),
    ).toEqual([{ bucket: "up", key: "a b.json", size: null }]);
    expect(objectsOf({})).toEqual([]);
  });

  it("parses a streamed CSV with the CLI's parsers, publishes in batches, and skips bad rows without stopping", async () => {
    const rows = ["review_id,user_name,rating,review_text,date,app_version,device"];
    for (let i = 1; i <= 25; i++)
      rows.push(
        `R${i},user${i},${i === 7 ? 9 : 4},Review number ${i} says the app is slow,2026-11-0${1 + (i % 9)},3.2.${i},Pixel 8`,
      );
    rows.push("R26,u,5,,2026-11-01,1.0,Pixel");
    objects.set("reviews/batch.csv", `${rows.join("\n")}\n`);
    const bus = new RecordingBus();
    const log = memoryLog();
    const artifacts = new S3ArtifactStore(s3, { bucket: "artifacts" });
    const handler = createUploadHandler(() => ({ objects: reader, bus, artifacts, batchSize: 10, log }));
    const { files } = await handler({
      Records: [{ s3: { bucket: { name: "uploads" }, object: { key: "reviews/batch.csv", size: 100 } } }],
    });
    expect(files[0]).toMatchObject({
      uri: "s3://uploads/reviews/batch.csv",
      format: "csv",
      read: 26,
      published: 24,
      rejected: 2,
      error: null,
    });
    expect(files[0]!.errors.map((e) => [e.line, e.field])).toEqual([
      [8, "rating"],
      [27, "review_text"],
    ]);
    expect(files[0]!.errors.every((e) => !e.message.includes("ft-upload-"))).toBe(true);
    expect(bus.published).toHaveLength(24);
    expect(bus.published[0]).toMatchObject({ source: "feedback.app_store_review", detailType: FEEDBACK_RECEIVED });
    expect(log.entries.filter((e) => e.event === "upload.row_rejected")).toHaveLength(2);
    const report = mock.commandCalls(PutObjectCommand).at(-1)!.args[0].input;
    expect(report.Key).toBe("uploads/uploads/reviews/batch.csv.report.json");
  });

  it("skips items that already have a ticket when it is given the ticket keys", async () => {
    objects.set(
      "reviews/again.csv",
      [
        "review_id,user_name,rating,review_text,date,app_version,device",
        "R1,ann,2,Crashes on start,2026-11-01,3.2.0,Pixel 8",
        "R2,bob,5,Love the new design,2026-11-02,3.2.0,Pixel 8",
      ].join("\n"),
    );
    const ticketed = new Set([ticketKey("app_store_review", "R1")]);
    const tickets = { existingKeys: async (keys: readonly string[]) => new Set(keys.filter((k) => ticketed.has(k))) };
    const bus = new RecordingBus();
    const summary = await processUpload(
      { objects: reader, bus, tickets, log: memoryLog() },
      "uploads",
      "reviews/again.csv",
    );
    expect(summary).toMatchObject({ read: 2, published: 1, duplicatesSkipped: 1, rejected: 0 });
    expect(bus.published.map((e) => (e.detail.item as { sourceId: string }).sourceId)).toEqual(["R2"]);
  });

  it("reports a file that cannot be read at all, without throwing (a retry would not help)", async () => {
    objects.set("weird.csv", "a|b|c\n1|2|3\n");
    const bus = new RecordingBus();
    const log = memoryLog();
    const summary = await processUpload({ objects: reader, bus, log }, "uploads", "weird.csv");
    expect(summary.error).toMatch(/s3:\/\/uploads\/weird\.csv/);
    expect(summary.published).toBe(0);
    expect(log.entries.map((e) => e.event)).toEqual(["upload.unreadable"]);
  });

  it("refuses an object over the size limit before downloading it", async () => {
    const summary = await processUpload(
      { objects: reader, bus: new RecordingBus(), log: memoryLog(), maxBytes: 10 },
      "uploads",
      "reviews/batch.csv",
      11,
    );
    expect(summary.error).toMatch(/limit is 10/);
  });

  it("reads NDJSON e-mails too", async () => {
    const lines = [
      {
        email_id: "E1",
        subject: "Login broken",
        body: "Cannot log in since update",
        sender_email: "a@example.com",
        timestamp: "2026-11-20T10:00:00Z",
        priority: "high",
      },
      {
        email_id: "E2",
        subject: "Thanks",
        body: "Love the new design",
        sender_email: "b@example.com",
        timestamp: "2026-11-21T10:00:00Z",
        priority: "low",
      },
    ];
    objects.set("emails/day.ndjson", lines.map((l) => JSON.stringify(l)).join("\n"));
    const bus = new RecordingBus();
    const summary = await processUpload({ objects: reader, bus, log: memoryLog() }, "uploads", "emails/day.ndjson");
    expect(summary).toMatchObject({ format: "ndjson", read: 2, published: 2, rejected: 0 });
  });

  it("a NUL or lone surrogate in one record costs that record only, never the file", async () => {
    const lines = [
      { review_id: "R1", rating: 2, review_text: "Crash\u0000 on start", user_name: "ann" },
      { review_id: "R2", rating: 5, review_text: "Works \ud800 well", user_name: "bob" },
      { review_id: "R3", rating: 4, review_text: "Fine", user_name: "Zo\u0000e" },
    ];
    objects.set("reviews/nul.ndjson", lines.map((l) => JSON.stringify(l)).join("\n"));
    const bus = new RecordingBus();
    const log = memoryLog();
    const summary = await processUpload({ objects: reader, bus, log }, "uploads", "reviews/nul.ndjson");
    expect(summary).toMatchObject({ format: "ndjson", read: 3, published: 1, rejected: 2, error: null });
    expect(summary.errors).toMatchObject([
      { line: 1, field: "review_text", message: expect.stringContaining("NUL") },
      { line: 2, field: "review_text", message: expect.stringContaining("lone UTF-16 surrogate") },
    ]);
    const item = (bus.published[0]!.detail as { item: { sourceId: string; author: string | null } }).item;
    expect(item).toMatchObject({ sourceId: "R3", author: null });
    expect(log.entries.filter((e) => e.event === "upload.row_warning")).toMatchObject([
      { fields: { line: 3, field: "user_name" } },
    ]);
  });
});
