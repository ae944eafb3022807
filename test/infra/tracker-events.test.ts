import { beforeAll, describe, expect, it } from "vitest";
import { Sources } from "../../infra/components/sources.js";
import { TRACKER_EVENTS_CONCURRENCY } from "../../infra/components/tracker-events.js";
import { ARTIFACTS, DATABASE, EVENT_BUS, PRIVATE_SUBNETS, SG, TABLES } from "./support/fakes.js";
import { json, type Recording, recordProgram } from "./support/harness.js";
import { FIXTURE_HANDLER, recordStack } from "./support/stack.js";

const FN = "feedback-tracker-events-lambda";

describe("tracker webhooks on AWS (public API -> tracker events Lambda in the VPC)", () => {
  let r: Recording;
  beforeAll(async () => {
    r = await recordStack();
  });
  const resource = (part: string) => r.named(`feedback-sources-tracker-${part}`).inputs;

  it("routes POST /integrations/{destination}/events of the public API to the Lambda, without an API key", () => {
    const root = r.named("feedback-sources-webhooks").inputs.parentId;
    expect(resource("integrations")).toMatchObject({ pathPart: "integrations", parentId: root });
    expect(resource("destination")).toMatchObject({
      pathPart: "{destination}",
      parentId: "feedback-sources-tracker-integrations-id",
    });
    expect(resource("events")).toMatchObject({
      pathPart: "events",
      parentId: "feedback-sources-tracker-destination-id",
    });
    const method = r.named("feedback-sources-tracker-events-post").inputs;
    expect(method).toMatchObject({ httpMethod: "POST", authorization: "NONE", apiKeyRequired: false });
    // The tracker's signature covers the raw body: no model or validator may reject or reshape it first.
    expect(method.requestModels).toBeUndefined();
    expect(r.named("feedback-sources-tracker-events-integration").inputs).toMatchObject({
      type: "AWS_PROXY",
      uri: expect.stringContaining(`${FN}-fn`),
    });
    expect(r.named("feedback-sources-tracker-events-invoke").inputs).toMatchObject({
      principal: "apigateway.amazonaws.com",
      function: `${FN}-fn`,
      sourceArn: expect.stringMatching(/\/\*\/POST\/integrations\/\*\/events$/),
    });
  });

  it("runs the Lambda in the private subnets with the worker's security group and the app role's secret only", () => {
    const fn = r.named(`${FN}-fn`).inputs;
    expect(fn.vpcConfig).toEqual({ subnetIds: PRIVATE_SUBNETS, securityGroupIds: [SG("worker")] });
    expect(fn.reservedConcurrentExecutions).toBe(TRACKER_EVENTS_CONCURRENCY);
    expect(fn.environment.variables).toMatchObject({
      FEEDBACK_BACKEND: "aws",
      FEEDBACK_MIGRATIONS: "skip",
      FEEDBACK_DATABASE_SECRET_ARN: DATABASE.appSecretArn,
    });
    const statements = json(r.named(`${FN}-policy`).inputs.policy).Statement;
    expect(statements.find((s: { Sid?: string }) => s.Sid === "DatabaseSecret")).toMatchObject({
      Action: "secretsmanager:GetSecretValue",
      Resource: DATABASE.appSecretArn,
    });
    expect(r.named(`${FN}-logs`).inputs.retentionInDays).toBeGreaterThan(0);
  });

  it("redeploys the API's stage when the route is added, and watches the Lambda like the others", async () => {
    const withoutRoute = await recordProgram(
      () =>
        new Sources("feedback-sources", {
          busArn: EVENT_BUS.arn,
          busName: EVENT_BUS.name,
          analyticsTable: { arn: TABLES.analyticsArn, name: TABLES.analyticsName },
          artifacts: ARTIFACTS,
          handlers: { webhook: FIXTURE_HANDLER, upload: FIXTURE_HANDLER, email: FIXTURE_HANDLER },
        }),
    );
    const triggers = (recording: Recording) => recording.named("feedback-sources-deployment").inputs.triggers.routes;
    expect(triggers(r)).not.toBe(triggers(withoutRoute));
    const alarms = r.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.name);
    expect(alarms.some((name) => name.includes("tracker-events"))).toBe(true);
  });
});
