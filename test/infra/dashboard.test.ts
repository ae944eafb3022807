import { beforeAll, describe, expect, it } from "vitest";
import { ALL_VIEWER, CACHING_DISABLED, Dashboard, type DashboardArgs } from "../../infra/components/dashboard.js";
import { parseSettings } from "../../infra/config.js";
import {
  ARTIFACTS,
  DATABASE,
  DLQ,
  EVENT_BUS,
  PRIVATE_SUBNETS,
  PUBLIC_SUBNETS,
  QUEUE,
  SG,
  TABLES,
} from "./support/fakes.js";
import { json, type Recording, recordProgram } from "./support/harness.js";

const OIDC = {
  issuer: "https://login.example.com",
  clientId: "dashboard",
  authorizationEndpoint: "https://login.example.com/authorize",
  tokenEndpoint: "https://login.example.com/token",
  userInfoEndpoint: "https://login.example.com/userinfo",
};

function recordDashboard(args: Partial<DashboardArgs> = {}): Promise<Recording> {
  return recordProgram(
    () =>
      new Dashboard("feedback-dashboard", {
        domain: "feedback.example.com",
        hostedZoneId: "Z0123456789ABC",
        vpcId: "feedback-network-vpc-id",
        publicSubnetIds: PUBLIC_SUBNETS,
        privateSubnetIds: PRIVATE_SUBNETS,
        albSecurityGroupId: SG("alb"),
        securityGroupId: SG("dashboard"),
        clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/feedback-worker-cluster",
        clusterName: "feedback-worker-cluster",
        appSecretArn: DATABASE.appSecretArn,
        tables: TABLES,
        artifacts: ARTIFACTS,
        eventBus: EVENT_BUS,
        queue: QUEUE,
        dlq: DLQ,
        ...parseSettings({ scale: "medium" }).sizing.dashboard,
        ...args,
      }),
  );
}

describe("dashboard", () => {
  let r: Recording;
  beforeAll(async () => {
    r = await recordDashboard();
  });

  it("runs 2 to 10 dashboard tasks scaled on CPU and memory", () => {
    const target = r.named("feedback-dashboard-scaling-target").inputs;
    expect([target.minCapacity, target.maxCapacity]).toEqual([2, 10]);
    const metric = (name: string) =>
      r.named(name).inputs.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType;
    expect(metric("feedback-dashboard-cpu-scaling")).toBe("ECSServiceAverageCPUUtilization");
    expect(metric("feedback-dashboard-memory-scaling")).toBe("ECSServiceAverageMemoryUtilization");
  });

  it("starts the dashboard server on port 3000 behind a /health target group check", () => {
    const [container] = json(r.named("feedback-dashboard-task").inputs.containerDefinitions);
    expect(container.command).toEqual(["node", "dist/dashboard/server.js"]);
    const tg = r.named("feedback-dashboard-tg").inputs;
    expect([tg.port, tg.targetType, tg.healthCheck.path]).toEqual([3000, "ip", "/health"]);
  });

  it("makes the app verify the ALB identity token of its own load balancer", () => {
    const [container] = json(r.named("feedback-dashboard-task").inputs.containerDefinitions);
    const env = Object.fromEntries(
      container.environment.map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(env.DASHBOARD_AUTH).toBe("alb");
    expect(env.DASHBOARD_ALB_ARN).toContain("feedback-dashboard-alb");
  });

  it("redirects HTTP to HTTPS and serves HTTPS with a validated ACM certificate", () => {
    const http = r.named("feedback-dashboard-http").inputs;
    expect(http.defaultActions[0].redirect).toEqual({ protocol: "HTTPS", port: "443", statusCode: "HTTP_301" });
    const https = r.named("feedback-dashboard-https").inputs;
    expect(https.protocol).toBe("HTTPS");
    expect(https.certificateArn).toBe("arn:aws:acm:eu-west-1:123456789012:feedback-dashboard-alb-cert");
    expect(r.named("feedback-dashboard-alb-cert").inputs.validationMethod).toBe("DNS");
  });

  it("authenticates every request against Cognito before forwarding", () => {
    const rule = r.one("aws:lb/listenerRule:ListenerRule").inputs;
    expect(rule.conditions).toEqual([{ pathPattern: { values: ["/*"] } }]);
    expect(rule.actions.map((a: { type: string }) => a.type)).toEqual(["authenticate-cognito", "forward"]);
    expect(rule.actions[0].authenticateCognito.onUnauthenticatedRequest).toBe("authenticate");
    expect(r.named("feedback-dashboard-https").inputs.defaultActions[0].type).toBe("fixed-response");
  });

  it("lets only administrators create Cognito users", () => {
    expect(r.one("aws:cognito/userPool:UserPool").inputs.adminCreateUserConfig.allowAdminCreateUserOnly).toBe(true);
    expect(r.one("aws:cognito/userPoolClient:UserPoolClient").inputs.callbackUrls).toEqual([
      "https://feedback.example.com/oauth2/idpresponse",
    ]);
  });

  it("puts CloudFront in front: HTTPS only to viewers and to the origin", () => {
    const cdn = r.one("aws:cloudfront/distribution:Distribution").inputs;
    expect(cdn.defaultCacheBehavior.viewerProtocolPolicy).toBe("https-only");
    expect(cdn.origins[0].customOriginConfig.originProtocolPolicy).toBe("https-only");
    expect(cdn.origins[0].domainName).toBe("origin.feedback.example.com");
    expect(cdn.aliases).toEqual(["feedback.example.com"]);
    expect(r.named("feedback-dashboard-cdn-cert").inputs.region).toBe("us-east-1");
  });

  it("caches static assets and never the API", () => {
    const cdn = r.one("aws:cloudfront/distribution:Distribution").inputs;
    const byPath = Object.fromEntries(
      cdn.orderedCacheBehaviors.map((b: { pathPattern: string; cachePolicyId: string }) => [
        b.pathPattern,
        b.cachePolicyId,
      ]),
    );
    expect(byPath["/api/*"]).toBe(CACHING_DISABLED);
    expect(byPath["/assets/*"]).toBe("feedback-dashboard-static-cache-id");
    expect(cdn.defaultCacheBehavior.cachePolicyId).toBe(CACHING_DISABLED);
    expect(cdn.defaultCacheBehavior.originRequestPolicyId).toBe(ALL_VIEWER);
  });

  it("keys cached assets by the login session", () => {
    const policy = r.named("feedback-dashboard-static-cache").inputs.parametersInCacheKeyAndForwardedToOrigin;
    expect(policy.cookiesConfig.cookies.items).toEqual(["AWSELBAuthSessionCookie-0", "AWSELBAuthSessionCookie-1"]);
  });

  it("registers the private, IP-addressed tasks with the load balancer", () => {
    expect(r.named("feedback-dashboard-service").inputs.loadBalancers[0].containerPort).toBe(3000);
    expect(r.named("feedback-dashboard-service").inputs.networkConfiguration.assignPublicIp).toBe(false);
  });

  it("traces requests through a collector sidecar to X-Ray, with the X-Ray grants on its task role", () => {
    const containers = json(r.named("feedback-dashboard-task").inputs.containerDefinitions);
    expect(containers.map((c: { name: string }) => c.name)).toEqual(["dashboard", "trace-collector"]);
    const env = Object.fromEntries(
      containers[0].environment.map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(env).toMatchObject({ FEEDBACK_TRACING: "true", OTEL_SERVICE_NAME: "dashboard" });
    const actions = json(r.named("feedback-dashboard-task-policy").inputs.policy).Statement.flatMap(
      (s: { Action: string | string[] }) => s.Action,
    );
    expect(actions).toContain("xray:PutTraceSegments");
  });

  it("lets the dashboard replay dead letters onto the work queue", () => {
    const replay = json(r.named("feedback-dashboard-task-policy").inputs.policy).Statement.find(
      (s: { Sid: string }) => s.Sid === "ReplayDeadLetters",
    );
    expect(replay.Action).toContain("sqs:StartMessageMoveTask");
    expect(replay.Resource).toBe(DLQ.arn);
  });

  it("lets the dashboard read the integrations' secret for the Test button, and tells it where it is", async () => {
    const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:feedback-worker-integration-secrets";
    const withSecret = await recordDashboard({ integrationSecretsArn: arn });
    const grant = json(withSecret.named("feedback-dashboard-task-policy").inputs.policy).Statement.find(
      (s: { Sid: string }) => s.Sid === "IntegrationSecrets",
    );
    expect(grant).toMatchObject({ Action: "secretsmanager:GetSecretValue", Resource: arn });
    const [container] = json(withSecret.named("feedback-dashboard-task").inputs.containerDefinitions);
    expect(container.environment).toContainEqual({ name: "FEEDBACK_INTEGRATION_SECRETS_ARN", value: arn });
  });

  it("authenticates against an OIDC provider when one is configured", async () => {
    const oidc = await recordDashboard({ oidc: OIDC, oidcClientSecret: "s3cret" });
    const action = oidc.one("aws:lb/listenerRule:ListenerRule").inputs.actions[0];
    expect(action.type).toBe("authenticate-oidc");
    expect(action.authenticateOidc.issuer).toBe("https://login.example.com");
    expect(oidc.ofType("aws:cognito/userPool:UserPool")).toEqual([]);
  });
});
