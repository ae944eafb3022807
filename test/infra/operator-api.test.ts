import { beforeAll, describe, expect, it } from "vitest";
import { OPERATOR_ROUTE, OperatorApi } from "../../infra/components/operator-api.js";
import { OPERATOR_OPERATIONS, operationPath } from "../../sdk/remote/operator-api.js";
import { DATABASE, PRIVATE_SUBNETS, SG } from "./support/fakes.js";
import { json, type Recording, recordProgram } from "./support/harness.js";
import { FIXTURE_HANDLER, recordStack } from "./support/stack.js";

const SETTINGS = {
  eventBusName: "feedback-events-bus",
  queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/feedback-queue-main",
  dlqUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/feedback-queue-dlq",
  metricsTableName: "feedback-metrics",
  analyticsTableName: "feedback-analytics",
  artifactsBucketName: "feedback-artifacts",
};

describe("operator API (laptop -> IAM-signed HTTP API -> tickets Lambda in the VPC)", () => {
  let r: Recording;
  beforeAll(async () => {
    r = await recordProgram(
      () =>
        new OperatorApi("feedback-operator", {
          subnetIds: PRIVATE_SUBNETS,
          securityGroupId: SG("worker"),
          databaseSecretArn: DATABASE.appSecretArn,
          settings: SETTINGS,
          handlerEntry: FIXTURE_HANDLER,
        }),
    );
  });

  it("admits only SigV4-signed requests: one route, AWS_IAM authorization, the Lambda as its proxy", () => {
    const routes = r.ofType("aws:apigatewayv2/route:Route");
    expect(routes.map((route) => [route.inputs.routeKey, route.inputs.authorizationType])).toEqual([
      [OPERATOR_ROUTE, "AWS_IAM"],
    ]);
    // The client's paths are the route's: POST /tickets/<operation>.
    for (const operation of OPERATOR_OPERATIONS)
      expect(`POST ${operationPath(operation)}`).toMatch(/^POST \/tickets\/\w+$/);
    expect(r.one("aws:apigatewayv2/api:Api").inputs.protocolType).toBe("HTTP");
    expect(r.one("aws:apigatewayv2/integration:Integration").inputs).toMatchObject({
      integrationType: "AWS_PROXY",
      payloadFormatVersion: "2.0",
    });
    expect(r.one("aws:lambda/permission:Permission").inputs).toMatchObject({
      principal: "apigateway.amazonaws.com",
      sourceArn: "arn:aws:execute-api:eu-west-1:123456789012:ops456/*/POST/tickets/*",
    });
  });

  it("runs the Lambda in the private subnets with the database's security group, the app role's secret only", () => {
    const fn = r.named("feedback-operator-lambda-fn").inputs;
    expect(fn.vpcConfig).toEqual({ subnetIds: PRIVATE_SUBNETS, securityGroupIds: [SG("worker")] });
    expect(fn.environment.variables).toMatchObject({
      FEEDBACK_BACKEND: "aws",
      FEEDBACK_MIGRATIONS: "skip",
      FEEDBACK_DATABASE_SECRET_ARN: DATABASE.appSecretArn,
      FEEDBACK_QUEUE_URL: SETTINGS.queueUrl,
    });
    expect(fn.environment.variables.FEEDBACK_OPERATOR_API_URL).toBeUndefined();
    expect(r.named("feedback-operator-lambda-vpc-access").inputs.policyArn).toMatch(/AWSLambdaVPCAccessExecutionRole$/);
    const statements = json(r.named("feedback-operator-lambda-policy").inputs.policy).Statement;
    expect(statements.find((s: { Sid?: string }) => s.Sid === "DatabaseSecret")).toMatchObject({
      Action: "secretsmanager:GetSecretValue",
      Resource: DATABASE.appSecretArn,
    });
  });

  it("gives operators a policy to attach: execute-api:Invoke on the tickets route of this API only", () => {
    const policy = json(r.named("feedback-operator-operator-policy").inputs.policy);
    expect(policy.Statement).toEqual([
      {
        Sid: "OperatorApi",
        Effect: "Allow",
        Action: "execute-api:Invoke",
        Resource: "arn:aws:execute-api:eu-west-1:123456789012:ops456/*/POST/tickets/*",
      },
    ]);
  });

  it("throttles and logs every call with the caller's IAM ARN", () => {
    const stage = r.one("aws:apigatewayv2/stage:Stage").inputs;
    expect(stage.name).toBe("$default");
    expect(stage.defaultRouteSettings.throttlingRateLimit).toBeGreaterThan(0);
    expect(JSON.parse(stage.accessLogSettings.format).caller).toBe("$context.identity.userArn");
  });

  it("is part of the stack, its URL and the operator policy among the outputs", async () => {
    const stack = await recordStack();
    expect(stack.outputs.operatorApiUrl).toBe("https://ops456.execute-api.eu-west-1.amazonaws.com");
    expect(stack.outputs.operatorPolicyArn).toMatch(/^arn:aws:/);
  });
});
