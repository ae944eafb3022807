import { beforeAll, describe, expect, it } from "vitest";
import { Sources, type SourcesArgs } from "../../infra/components/sources.js";
import { ARTIFACTS, arn, TABLES } from "./support/fakes.js";
import { json, type Recording, recordProgram } from "./support/harness.js";
import { statementsOf } from "./support/iam.js";
import { FIXTURE_HANDLER } from "./support/stack.js";

function recordSources(args: Partial<SourcesArgs> = {}): Promise<Recording> {
  return recordProgram(
    () =>
      new Sources("feedback-sources", {
        busArn: arn("events", "event-bus/feedback-events-bus"),
        busName: "feedback-events-bus",
        analyticsTable: { arn: TABLES.analyticsArn, name: TABLES.analyticsName },
        artifacts: ARTIFACTS,
        handlers: { webhook: FIXTURE_HANDLER, upload: FIXTURE_HANDLER, email: FIXTURE_HANDLER },
        ...args,
      }),
  );
}

describe("sources", () => {
  let small: Recording;
  let noMail: Recording;
  let singletons: Recording;
  beforeAll(async () => {
    small = await recordSources({ mailRecipients: ["feedback@example.com", "reviews@example.com"] });
    noMail = await recordSources({ sesEnabled: false });
    singletons = await recordSources({ activateMailRuleSet: true, apiLogging: "create" });
  });

  it("sends upload bucket events to EventBridge and routes review files to the upload Lambda", () => {
    expect(small.named("feedback-sources-uploads-notifications").inputs.eventbridge).toBe(true);
    const pattern = json(small.named("feedback-sources-upload-rule").inputs.eventPattern);
    expect(pattern.source).toEqual(["aws.s3"]);
    expect(pattern.detail.object.key).toEqual([{ prefix: "reviews/" }, { prefix: "emails/" }]);
    expect(small.named("feedback-sources-upload-target").inputs.arn).toContain("feedback-sources-upload-lambda-fn");
  });

  it("validates a JSON body on every route", () => {
    const methods = small.ofType("aws:apigateway/method:Method");
    expect(methods).toHaveLength(3);
    for (const method of methods) {
      expect(method.inputs.requestValidatorId).toBe("feedback-sources-validator-id");
      expect(Object.keys(method.inputs.requestModels)).toEqual(["application/json"]);
    }
    expect(small.one("aws:apigateway/requestValidator:RequestValidator").inputs.validateRequestBody).toBe(true);
  });

  it("requires an API key except from Intercom, which cannot send one and signs its requests", () => {
    const keyRequired = Object.fromEntries(
      small.ofType("aws:apigateway/method:Method").map((m) => [m.name, m.inputs.apiKeyRequired]),
    );
    expect(keyRequired).toEqual({
      "feedback-sources-zendesk-post": true,
      "feedback-sources-intercom-post": false,
      "feedback-sources-generic-post": true,
    });
  });

  it("serves Zendesk, Intercom and generic webhooks (real-time reviews use the generic one)", () => {
    const paths = small.ofType("aws:apigateway/resource:Resource").map((r) => r.inputs.pathPart);
    expect(paths.sort()).toEqual(["generic", "intercom", "webhooks", "zendesk"]);
    expect(small.ofType("aws:apigateway/integration:Integration").every((i) => i.inputs.type === "AWS_PROXY")).toBe(
      true,
    );
  });

  it("gives the webhook Lambda its signing secrets and the delivery log in the analytics table", () => {
    const env = small.named("feedback-sources-webhook-lambda-fn").inputs.environment.variables;
    expect(env.FEEDBACK_WEBHOOK_SECRETS_ARN).toContain("feedback-sources-webhook-secrets");
    expect(env.FEEDBACK_ANALYTICS_TABLE).toBe("feedback-metrics-analytics");
    const statements = statementsOf(small, "feedback-sources-webhook-lambda-policy");
    expect(
      statements.find((s) => s.Resource === "arn:aws:dynamodb:eu-west-1:123456789012:feedback-metrics-analytics")
        ?.Action,
    ).toEqual(["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem"]);
  });

  it("throttles through a usage plan with a daily quota", () => {
    const plan = small.one("aws:apigateway/usagePlan:UsagePlan").inputs;
    expect(plan.throttleSettings).toEqual({ rateLimit: 20, burstLimit: 40 });
    expect(plan.quotaSettings).toEqual({ limit: 50_000, period: "DAY" });
    expect(small.one("aws:apigateway/usagePlanKey:UsagePlanKey").inputs.keyType).toBe("API_KEY");
  });

  it("traces API requests with X-Ray and counts them, with no API logs unless the account's role is there", () => {
    const stage = small.one("aws:apigateway/stage:Stage").inputs;
    expect(stage.xrayTracingEnabled).toBe(true);
    expect(stage.accessLogSettings).toBeUndefined();
    const settings = small.one("aws:apigateway/methodSettings:MethodSettings").inputs.settings;
    expect([settings.metricsEnabled, settings.loggingLevel]).toEqual([true, "OFF"]);
  });

  it("writes access and error logs through the account's CloudWatch role when it exists", async () => {
    const existing = await recordSources({ apiLogging: "existing" });
    const stage = existing.one("aws:apigateway/stage:Stage").inputs;
    expect(stage.accessLogSettings.destinationArn).toContain("api-access-logs");
    expect(json(stage.accessLogSettings.format).status).toBe("$context.status");
    expect(existing.one("aws:apigateway/methodSettings:MethodSettings").inputs.settings.loggingLevel).toBe("ERROR");
    expect(existing.ofType("aws:apigateway/account:Account")).toEqual([]);
  });

  it("touches no account-wide setting by default: API Gateway's CloudWatch role and SES's active rule set", () => {
    expect(small.ofType("aws:apigateway/account:Account")).toEqual([]);
    expect(small.ofType("aws:ses/activeReceiptRuleSet:ActiveReceiptRuleSet")).toEqual([]);
    expect(small.ofType("aws:ses/receiptRuleSet:ReceiptRuleSet")).toHaveLength(1);
  });

  it("sets the account singletons only when asked to", () => {
    const account = singletons.one("aws:apigateway/account:Account").inputs;
    expect(account.cloudwatchRoleArn).toContain("apigw-logs-role");
    const active = singletons.one("aws:ses/activeReceiptRuleSet:ActiveReceiptRuleSet").inputs;
    expect(active.ruleSetName).toBe(singletons.one("aws:ses/receiptRuleSet:ReceiptRuleSet").inputs.ruleSetName);
    expect(singletons.one("aws:apigateway/stage:Stage").inputs.accessLogSettings.destinationArn).toContain(
      "api-access-logs",
    );
  });

  it("stores incoming mail in S3 and then hands it to the mail Lambda", () => {
    const rule = small.one("aws:ses/receiptRule:ReceiptRule").inputs;
    expect(rule.s3Actions).toEqual([
      { position: 1, bucketName: "feedback-sources-uploads-bucket", objectKeyPrefix: "mail/" },
    ]);
    expect(rule.lambdaActions[0].position).toBe(2);
    expect(rule.lambdaActions[0].invocationType).toBe("Event");
    expect(rule.recipients).toEqual(["feedback@example.com", "reviews@example.com"]);
    expect(rule.scanEnabled).toBe(true);
  });

  it("lets SES write only below mail/ of the uploads bucket, for this account", () => {
    const ses = statementsOf(small, "feedback-sources-uploads-policy").find((s) => s.Sid === "SesStoresMail")!;
    expect(ses.Resource).toBe("arn:aws:s3:::feedback-sources-uploads-bucket/mail/*");
    expect(ses.Condition).toMatchObject({ StringEquals: { "aws:SourceAccount": "123456789012" } });
  });

  it("leaves out the SES rule set when mail is disabled", () => {
    expect(noMail.ofType("aws:ses/receiptRuleSet:ReceiptRuleSet")).toEqual([]);
    expect(noMail.ofType("aws:lambda/function:Function").map((f) => f.name)).not.toContain(
      "feedback-sources-email-lambda-fn",
    );
  });
});
