import { beforeAll, describe, expect, it } from "vitest";
import { EVENT_SOURCES, Events } from "../../infra/components/events.js";
import { Ingestion } from "../../infra/components/ingestion.js";
import { QUEUE } from "./support/fakes.js";
import { json, type Recording, recordProgram } from "./support/harness.js";
import { actionsOf, statementsOf } from "./support/iam.js";
import { FIXTURE_HANDLER } from "./support/stack.js";

const LAYER = "arn:aws:lambda:eu-west-1:901920570463:layer:aws-otel-collector-arm64-ver-0-117-0:1";

function recordEventProcessing(reservedConcurrency?: number, tracingLayerArn?: string): Promise<Recording> {
  return recordProgram(() => {
    const ingestion = new Ingestion("feedback-ingestion", {
      queueArn: QUEUE.arn,
      queueUrl: QUEUE.url,
      handlerEntry: FIXTURE_HANDLER,
      reservedConcurrency,
      tracingLayerArn,
    });
    new Events("feedback-events", {
      targetFunctionArn: ingestion.fn.function.arn,
      targetFunctionName: ingestion.fn.function.name,
    });
  });
}

describe("event processing", () => {
  let small: Recording;
  let medium: Recording;
  beforeAll(async () => {
    small = await recordEventProcessing();
    medium = await recordEventProcessing(7);
  });

  it("archives every event on the custom bus for replay", () => {
    const archive = small.one("aws:cloudwatch/eventArchive:EventArchive");
    expect(archive.inputs.eventSourceArn).toBe("arn:aws:cloudwatch:eu-west-1:123456789012:feedback-events-bus");
    expect(archive.inputs.retentionDays).toBe(30);
  });

  it("routes each source to the ingestion Lambda with its own rule", () => {
    const rules = small
      .ofType("aws:cloudwatch/eventRule:EventRule")
      .filter((r) => r.inputs.eventBusName === "feedback-events-bus");
    expect(rules.map((r) => json(r.inputs.eventPattern).source[0]).sort()).toEqual(Object.values(EVENT_SOURCES).sort());
    expect(Object.values(EVENT_SOURCES).sort()).toEqual([
      "feedback.app_store_review",
      "feedback.email",
      "feedback.webhook",
    ]);
    expect(rules.every((r) => json(r.inputs.eventPattern)["detail-type"][0] === "FeedbackReceived")).toBe(true);
  });

  it("retries each delivery and sends what still fails to a dead-letter queue", () => {
    const targets = small
      .ofType("aws:cloudwatch/eventTarget:EventTarget")
      .filter((t) => t.name.startsWith("feedback-events-"));
    expect(targets).toHaveLength(3);
    for (const target of targets) {
      expect(target.inputs.arn).toBe("arn:aws:lambda:eu-west-1:123456789012:feedback-ingestion-lambda-fn");
      expect(target.inputs.retryPolicy).toEqual({ maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3600 });
      expect(target.inputs.deadLetterConfig.arn).toBe("arn:aws:sqs:eu-west-1:123456789012:feedback-events-target-dlq");
    }
  });

  it("lets EventBridge write to the target DLQ only for its own rules", () => {
    const [statement] = statementsOf(small, "feedback-events-target-dlq-policy");
    expect(statement!.Condition).toEqual({
      ArnEquals: { "aws:SourceArn": expect.arrayContaining([expect.stringContaining("email-rule")]) },
    });
  });

  it("runs the ingestion Lambda on Node.js with 256 MB, 30 s, X-Ray and its own DLQ", () => {
    const fn = small.named("feedback-ingestion-lambda-fn").inputs;
    expect(fn.runtime).toMatch(/^nodejs2\dx?/);
    expect(fn.memorySize).toBe(256);
    expect(fn.timeout).toBe(30);
    expect(fn.tracingConfig).toEqual({ mode: "Active" });
    expect(fn.deadLetterConfig.targetArn).toBe("arn:aws:sqs:eu-west-1:123456789012:feedback-ingestion-lambda-dlq");
    expect(fn.environment.variables.FEEDBACK_QUEUE_URL).toContain("feedback-queue-main");
  });

  it("turns the handler's OpenTelemetry tracing on only with a collector layer to send the spans through", async () => {
    const plain = small.named("feedback-ingestion-lambda-fn").inputs;
    expect(plain.layers).toBeUndefined();
    expect(plain.environment.variables.FEEDBACK_TRACING).toBeUndefined();
    const traced = (await recordEventProcessing(undefined, LAYER)).named("feedback-ingestion-lambda-fn").inputs;
    expect(traced.layers).toEqual([LAYER]);
    expect(traced.environment.variables).toMatchObject({
      FEEDBACK_TRACING: "true",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
      OTEL_SERVICE_NAME: "feedback-ingestion-lambda",
      FEEDBACK_QUEUE_URL: expect.stringContaining("feedback-queue-main"),
    });
  });

  it("reserves the configured Lambda concurrency, and none unless asked", () => {
    expect(small.named("feedback-ingestion-lambda-fn").inputs.reservedConcurrentExecutions).toBeUndefined();
    expect(medium.named("feedback-ingestion-lambda-fn").inputs.reservedConcurrentExecutions).toBe(7);
  });

  it("allows the ingestion Lambda to send to the work queue and nothing else of the data plane", () => {
    const actions = actionsOf(small, "feedback-ingestion-lambda-policy");
    expect(actions).toContain("sqs:SendMessage");
    expect(actions.filter((a) => /^(s3|dynamodb|secretsmanager):/.test(a))).toEqual([]);
    const send = statementsOf(small, "feedback-ingestion-lambda-policy").find(
      (s) =>
        [s.Action].flat().includes("sqs:ReceiveMessage") ||
        s.Resource === "arn:aws:sqs:eu-west-1:123456789012:feedback-queue-main",
    );
    expect(send?.Resource).toBe("arn:aws:sqs:eu-west-1:123456789012:feedback-queue-main");
  });

  it("lets EventBridge invoke the ingestion Lambda only from the bus rules", () => {
    const permissions = small
      .ofType("aws:lambda/permission:Permission")
      .filter((p) => p.name.startsWith("feedback-events-"));
    expect(permissions).toHaveLength(3);
    expect(
      permissions.every((p) => p.inputs.principal === "events.amazonaws.com" && p.inputs.sourceArn.includes("-rule")),
    ).toBe(true);
  });
});
