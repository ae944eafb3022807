import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { STACK_OUTPUTS } from "../../infra/names.js";
import { type Recording, recordProgram } from "./support/harness.js";
import { EXAMPLE_DASHBOARD, recordStack } from "./support/stack.js";

// The real handlers are other modules' work; the program itself is exercised with a stand-in archive.
vi.mock("../../infra/bundle.js", async (original) => ({
  ...(await original<typeof import("../../infra/bundle.js")>()),
  handlerArchive: () =>
    pulumi.output(
      new pulumi.asset.AssetArchive({
        "index.mjs": new pulumi.asset.StringAsset("export const handler = async () => {};"),
      }),
    ),
}));

/** Acceptance list of the issue: resource types `npm run infra:synth` must show. */
const REQUIRED_TYPES = [
  "aws:cloudwatch/eventBus:EventBus",
  "aws:cloudwatch/eventArchive:EventArchive",
  "aws:cloudwatch/eventRule:EventRule",
  "aws:lambda/function:Function",
  "aws:sqs/queue:Queue",
  "aws:ecs/cluster:Cluster",
  "aws:ecs/service:Service",
  "aws:ecs/taskDefinition:TaskDefinition",
  "aws:appautoscaling/target:Target",
  "aws:appautoscaling/policy:Policy",
  "aws:rds/instance:Instance",
  "aws:dynamodb/table:Table",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:apigateway/restApi:RestApi",
  "aws:apigateway/usagePlan:UsagePlan",
  "aws:apigateway/apiKey:ApiKey",
  "aws:ses/receiptRuleSet:ReceiptRuleSet",
  "aws:ses/receiptRule:ReceiptRule",
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:cloudfront/distribution:Distribution",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:cloudwatch/dashboard:Dashboard",
  "aws:secretsmanager/secret:Secret",
  "aws:iam/role:Role",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:sns/topic:Topic",
];

describe("the Pulumi program", () => {
  let program: Recording;
  let full: Recording;
  beforeAll(async () => {
    await pulumi.runtime.setAllConfig(
      { "feedback-triage:scale": "medium", "feedback-triage:alarmEmail": "ops@example.com" },
      [],
    );
    program = await recordProgram(() => import("../../infra/index.js"));
    full = await recordStack({ ...EXAMPLE_DASHBOARD });
  });

  it("exports the stack outputs the SDK and CLI read, plus what the operator and the runbook need", () => {
    const extra = [
      "apiKeyId",
      "webhookSecretsArn",
      "databaseInstanceId",
      "backupScheduleName",
      "eventBusArn",
      "eventArchiveArn",
      "scale",
      "operatorPolicyArn",
    ];
    expect(Object.keys(program.outputs).sort()).toEqual([...STACK_OUTPUTS, ...extra].sort());
    expect(program.outputs.queueUrl).toBe("https://sqs.eu-west-1.amazonaws.com/123456789012/feedback-queue-main");
    expect(program.outputs.apiUrl).toBe("https://api123.execute-api.eu-west-1.amazonaws.com/v1");
  });

  it("reads the stack configuration: scale and keys", () => {
    expect(program.outputs.scale).toBe("medium");
    expect(program.named("feedback-database-postgres").inputs.instanceClass).toBe("db.t3.medium");
    expect(program.named("feedback-observability-alarms-email").inputs.endpoint).toBe("ops@example.com");
  });

  it("points the database secret output at the application role, never the master user", () => {
    expect(program.outputs.databaseSecretArn).toContain("app-credentials");
  });

  it("leaves the dashboard out without a domain, so it is never served without HTTPS and a login", () => {
    expect(program.ofType("aws:lb/loadBalancer:LoadBalancer")).toEqual([]);
    expect(program.ofType("aws:cloudfront/distribution:Distribution")).toEqual([]);
    expect(program.outputs.dashboardUrl).toBe("");
  });

  it("alarms on every dead-letter queue that can fill", () => {
    // The migration runner is invoked synchronously by the deployment, so its DLQ never receives anything.
    const dlqs = full
      .ofType("aws:sqs/queue:Queue")
      .filter((q) => q.inputs.tags?.["feedback:role"] === "dead-letter" && !q.name.includes("migration"));
    const alarmed = new Set(
      full.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs.dimensions?.QueueName),
    );
    expect(dlqs.filter((q) => !alarmed.has(q.name)).map((q) => q.name)).toEqual([]);
    expect(dlqs.length).toBeGreaterThanOrEqual(7);
  });

  it("defines every resource type the architecture names", () => {
    const types = new Set(full.resources.map((r) => r.type));
    expect(REQUIRED_TYPES.filter((t) => !types.has(t))).toEqual([]);
  });

  it("puts every resource inside a feedback component, named from it", () => {
    const components = full.resources.filter((r) => !r.custom);
    expect(components.every((c) => /^(feedback:[a-z]+:[A-Z][A-Za-z]+|awsx:ecr:Image)$/.test(c.type))).toBe(true);
    const orphans = full.resources.filter((r) => r.custom && !r.parent.startsWith("feedback:"));
    expect(orphans.map((r) => r.name)).toEqual([]);
    const misnamed = full.resources.filter(
      (r) => r.parent.startsWith("feedback:") && !r.name.startsWith(r.parent.split("::")[1]!),
    );
    expect(misnamed.map((r) => r.name)).toEqual([]);
  });
});
