import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PULL_SCHEDULE, StorePull } from "../../infra/components/store-pull.js";
import { DATABASE, PRIVATE_SUBNETS, SG } from "./support/fakes.js";
import { type Recording, recordProgram } from "./support/harness.js";
import { statementsOf } from "./support/iam.js";
import { FIXTURE_HANDLER } from "./support/stack.js";

const BUS = { arn: "arn:aws:events:eu-west-1:123456789012:event-bus/feedback-events-bus", name: "feedback-events-bus" };
const SETTINGS = {
  queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/feedback-queue-main",
  dlqUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/feedback-queue-dlq",
  metricsTableName: "feedback-metrics",
  analyticsTableName: "feedback-analytics",
  artifactsBucketName: "feedback-artifacts",
};

describe("store pull (EventBridge Scheduler -> pull Lambda in the VPC -> bus)", () => {
  let r: Recording;
  beforeAll(async () => {
    r = await recordProgram(
      () =>
        new StorePull("feedback-store-pull", {
          subnetIds: PRIVATE_SUBNETS,
          securityGroupId: SG("worker"),
          databaseSecretArn: DATABASE.appSecretArn,
          eventBusArn: BUS.arn,
          settings: { ...SETTINGS, eventBusName: BUS.name },
          handlerEntry: FIXTURE_HANDLER,
        }),
    );
  });

  const statements = (name: string) => statementsOf(r, name);

  it("invokes the pull Lambda on a schedule, without retrying a failed run (the next one resumes from the cursor)", () => {
    const schedule = r.one("aws:scheduler/schedule:Schedule").inputs;
    expect(schedule.scheduleExpression).toBe(DEFAULT_PULL_SCHEDULE);
    expect(schedule.target.arn).toMatch(/feedback-store-pull-lambda/);
    expect(schedule.target.retryPolicy.maximumRetryAttempts).toBe(0);
    expect(statements("feedback-store-pull-scheduler-policy")).toEqual([
      { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: schedule.target.arn },
    ]);
  });

  it("runs one pull at a time in the private subnets, with the database, the keys secret and the bus", () => {
    const fn = r.named("feedback-store-pull-lambda-fn").inputs;
    expect(fn.reservedConcurrentExecutions).toBe(1);
    expect(fn.vpcConfig).toEqual({ subnetIds: PRIVATE_SUBNETS, securityGroupIds: [SG("worker")] });
    expect(fn.environment.variables).toMatchObject({
      FEEDBACK_BACKEND: "aws",
      FEEDBACK_MIGRATIONS: "skip",
      FEEDBACK_DATABASE_SECRET_ARN: DATABASE.appSecretArn,
      FEEDBACK_STORE_KEYS_SECRET_ARN: expect.stringContaining("secretsmanager"),
      FEEDBACK_EVENT_BUS: BUS.name,
    });
  });

  it("may read only the database's and the keys' secrets and put events only on the bus", () => {
    const keysArn = r.named("feedback-store-pull-lambda-fn").inputs.environment.variables
      .FEEDBACK_STORE_KEYS_SECRET_ARN;
    const byId = Object.fromEntries(statements("feedback-store-pull-lambda-policy").map((s) => [s.Sid, s]));
    expect(byId.Secrets).toMatchObject({
      Action: "secretsmanager:GetSecretValue",
      Resource: [DATABASE.appSecretArn, keysArn],
    });
    expect(byId.PublishFeedback).toMatchObject({ Action: "events:PutEvents", Resource: BUS.arn });
  });
});
