import { randomUUID } from "node:crypto";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runWorker } from "../../app/worker/run-worker.js";
import { SqsQueue } from "../../sdk/aws/queue.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { memoryLog } from "../../sdk/log.js";
import type { MessageQueue } from "../../sdk/ports/queue.js";
import { FEEDBACK_RECEIVED } from "../../sdk/schemas/events.js";
import { startTracing, type Tracing } from "../../sdk/tracing/setup.js";
import { traced } from "../../worker/handlers/aws-runtime.js";
import { createIngestionHandler } from "../../worker/handlers/ingestion-lambda.js";
import { createWebhookLambda } from "../../worker/handlers/webhook-lambda.js";
import { genericBody, RecordingBus, SECRETS, signedHeaders } from "../app/webhooks/webhook-fixtures.js";
import { FakeSqs } from "../sdk/aws/fakes/fake-sqs.js";
import { openTestBackend, type TestBackend } from "../support/backend.js";
import { StubAgents } from "../support/stub-agents.js";

/**
 * One item is one trace: the webhook request's span, the publish, the hand-off to the queue, the worker's
 * processing of the message and the commit of its ticket share one trace id, each span the child of the one before,
 * with the context carried in the event's detail and the message's attributes (embedded bus and queue, and the
 * AWS shape: EventBridge to the ingestion Lambda to SQS).
 */
const exporter = new InMemorySpanExporter();
let tracing: Tracing;
beforeAll(() => {
  tracing = startTracing(loadRuntimeConfig({}).tracing, { service: "test", exporter });
});
afterAll(() => tracing.shutdown());
beforeEach(() => exporter.reset());

const LOCAL = ["webhook.request", "feedback.publish", "feedback.enqueue", "feedback.process", "ticket.commit"];
/** On AWS the ingestion Lambda's invocation sits between the publish (EventBridge) and the enqueue (SQS). */
const AWS = [
  "webhook.request",
  "feedback.publish",
  "ingestion.invoke",
  "feedback.enqueue",
  "feedback.process",
  "ticket.commit",
];

function post(handler: ReturnType<typeof createWebhookLambda>, id: string) {
  const body = genericBody(id, { text: `Checkout button does nothing (${id}).` });
  return handler({ httpMethod: "POST", path: "/webhooks/generic", headers: signedHeaders("generic", body), body });
}

async function work(queue: MessageQueue, fixture: TestBackend) {
  return runWorker(
    {
      queue,
      tickets: fixture.backend.tickets,
      agents: new StubAgents(),
      configuration: fixture.backend.configuration,
    },
    { once: true },
  );
}

/** The item's spans named `names`, in order, each the child of the one before; fails naming the missing link. */
function chain(spans: readonly ReadableSpan[], sourceId: string, names = LOCAL): ReadableSpan[] {
  const publish = spans.find((s) => s.name === "feedback.publish" && s.attributes["feedback.source_id"] === sourceId);
  const request = spans.find((s) => s.spanContext().spanId === publish?.parentSpanContext?.spanId);
  expect(request?.name).toBe(names[0]);
  const found = [request!];
  for (const name of names.slice(1)) {
    const parentId = found.at(-1)!.spanContext().spanId;
    const span = spans.find((s) => s.name === name && s.parentSpanContext?.spanId === parentId);
    expect(span, `${name} under ${found.at(-1)!.name}`).toBeDefined();
    found.push(span!);
  }
  return found;
}

function expectOneTrace(found: readonly ReadableSpan[]) {
  const [first] = found;
  expect(first!.parentSpanContext).toBeUndefined();
  expect(new Set(found.map((s) => s.spanContext().traceId))).toEqual(new Set([first!.spanContext().traceId]));
  // X-Ray's trace id format: the first 8 hex digits are the trace's start in epoch seconds.
  const started = Number.parseInt(first!.spanContext().traceId.slice(0, 8), 16);
  expect(Math.abs(started - Date.now() / 1000)).toBeLessThan(120);
}

describe("one item is one trace from the webhook handler to the ticket commit", () => {
  it("on the embedded bus and queue: the request, publish, enqueue, processing and commit spans chain", async () => {
    const fixture = await openTestBackend();
    try {
      const handler = traced(
        tracing,
        "webhook.request",
        createWebhookLambda(async () => ({
          bus: fixture.backend.bus,
          deliveries: fixture.backend.deliveries,
          secrets: { ...SECRETS },
        })),
      );
      expect((await post(handler, "trace-1")).statusCode).toBe(202);
      expect((await post(handler, "trace-2")).statusCode).toBe(202);
      expect(await work(fixture.backend.queue, fixture)).toMatchObject({ created: 2 });

      const spans = exporter.getFinishedSpans();
      const one = chain(spans, "generic:trace-1");
      const two = chain(spans, "generic:trace-2");
      expectOneTrace(one);
      expectOneTrace(two);
      expect(one[0]!.spanContext().traceId).not.toBe(two[0]!.spanContext().traceId);
      expect(one.at(-1)!.attributes["feedback.outcome"]).toBe("created");
    } finally {
      await fixture.close();
    }
  });

  it("on AWS's shape: the context rides in the EventBridge detail, then in the SQS message attributes", async () => {
    const sqs = new FakeSqs();
    const queueUrl = sqs.createQueue("feedback");
    const queue = new SqsQueue(sqs.client, { queueUrl });
    const fixture = await openTestBackend({ queue });
    try {
      const bus = new RecordingBus();
      const webhook = traced(
        tracing,
        "webhook.request",
        createWebhookLambda(async () => ({ bus, deliveries: fixture.backend.deliveries, secrets: { ...SECRETS } })),
      );
      expect((await post(webhook, "aws-1")).statusCode).toBe(202);
      const [entry] = bus.published;
      expect(entry!.detail.traceContext).toEqual({ traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-/) });

      // EventBridge delivers the entry to the ingestion Lambda as an envelope, detail unchanged.
      const ingestion = traced(
        tracing,
        "ingestion.invoke",
        createIngestionHandler(() => ({ queue, log: memoryLog() })),
        (event) => (event as { detail: { traceContext: Record<string, string> } }).detail.traceContext,
      );
      await ingestion({
        id: randomUUID(),
        version: "0",
        source: entry!.source,
        "detail-type": FEEDBACK_RECEIVED,
        time: new Date().toISOString(),
        region: "eu-west-1",
        account: "123456789012",
        resources: [],
        detail: JSON.parse(JSON.stringify(entry!.detail)),
      });
      const [message] = sqs.messages(queueUrl);
      expect(message!.attributes.traceparent).toMatchObject({ DataType: "String" });

      expect(await work(queue, fixture)).toMatchObject({ created: 1 });
      expectOneTrace(chain(exporter.getFinishedSpans(), "generic:aws-1", AWS));
    } finally {
      await fixture.close();
    }
  });
});
