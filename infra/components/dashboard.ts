import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import type { OidcSettings } from "../config.js";
import { childName, settingEnv } from "../names.js";
import {
  awsLogs,
  executionRole,
  fargateTaskDefinition,
  httpHealthCheck,
  serviceLogGroup,
  taskRole,
  traceCollector,
  tracingEnvironment,
} from "./ecs-common.js";

export interface DashboardArgs {
  domain: string;
  hostedZoneId: string;
  /** Log in through this OIDC provider instead of a Cognito user pool. */
  oidc?: OidcSettings;
  oidcClientSecret?: pulumi.Input<string>;
  vpcId: pulumi.Input<string>;
  publicSubnetIds: pulumi.Input<string>[];
  privateSubnetIds: pulumi.Input<string>[];
  albSecurityGroupId: pulumi.Input<string>;
  securityGroupId: pulumi.Input<string>;
  clusterArn: pulumi.Input<string>;
  clusterName: pulumi.Input<string>;
  image?: string;
  appSecretArn: pulumi.Input<string>;
  /** The integrations' secret (the worker's), read by the Integrations page's Test button. */
  integrationSecretsArn?: pulumi.Input<string>;
  /** The stack has an analytics read replica: the secret's `readerUrl` serves the aggregate reads. */
  readReplica?: boolean;
  tables: {
    metricsArn: pulumi.Input<string>;
    metricsName: pulumi.Input<string>;
    analyticsArn: pulumi.Input<string>;
    analyticsName: pulumi.Input<string>;
  };
  artifacts: { arn: pulumi.Input<string>; name: pulumi.Input<string> };
  /** Files ingested from the Operations page are published to the bus, as `feedback-cli ingest` does. */
  eventBus: { arn: pulumi.Input<string>; name: pulumi.Input<string> };
  queue: { arn: pulumi.Input<string>; url: pulumi.Input<string> };
  dlq: { arn: pulumi.Input<string>; url: pulumi.Input<string> };
  /** Resources that must be in place first (the migration step). */
  dependsOn?: pulumi.Resource[];
  cpu?: number;
  memoryMb?: number;
  minTasks?: number;
  maxTasks?: number;
  cpuTarget?: number;
  memoryTarget?: number;
  logRetentionDays?: number;
  production?: boolean;
}

export const DASHBOARD_PORT = 3000;
export const DASHBOARD_COMMAND = ["node", "dist/dashboard/server.js"];
// AWS managed CloudFront policies.
export const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
export const ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3";
const SESSION_COOKIES = ["AWSELBAuthSessionCookie-0", "AWSELBAuthSessionCookie-1"];

/** Names the dashboard is served under: users use `domain` (CloudFront); CloudFront reaches the ALB at `origin.<domain>`. */
export function dashboardHosts(domain: string): { site: string; origin: string } {
  return { site: domain, origin: `origin.${domain}` };
}

/**
 * The dashboard: Fargate behind an HTTPS-only ALB that logs every request in (Cognito or OIDC) before
 * forwarding, fronted by CloudFront (static assets cached per session, the API never).
 */
export class Dashboard extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly loadBalancer: aws.lb.LoadBalancer;
  readonly distribution: aws.cloudfront.Distribution;
  readonly service: aws.ecs.Service;

  constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:dashboard:Dashboard", name, {}, opts);
    const parent = { parent: this };
    const hosts = dashboardHosts(args.domain);
    const region = aws.getRegionOutput({}, parent).region;

    const albCertificate = this.certificate(name, "alb-cert", [hosts.site, hosts.origin], args.hostedZoneId);
    // CloudFront only takes certificates from us-east-1.
    const cdnCertificate = this.certificate(name, "cdn-cert", [hosts.site], args.hostedZoneId, "us-east-1");

    this.loadBalancer = new aws.lb.LoadBalancer(
      childName(name, "alb"),
      {
        loadBalancerType: "application",
        internal: false,
        securityGroups: [args.albSecurityGroupId],
        subnets: args.publicSubnetIds,
        dropInvalidHeaderFields: true,
        enableDeletionProtection: args.production ?? false,
      },
      parent,
    );
    const targetGroup = new aws.lb.TargetGroup(
      childName(name, "tg"),
      {
        port: DASHBOARD_PORT,
        protocol: "HTTP",
        targetType: "ip",
        vpcId: args.vpcId,
        deregistrationDelay: 30,
        healthCheck: {
          path: "/health",
          matcher: "200",
          interval: 15,
          timeout: 5,
          healthyThreshold: 2,
          unhealthyThreshold: 3,
        },
      },
      parent,
    );
    new aws.lb.Listener(
      childName(name, "http"),
      {
        loadBalancerArn: this.loadBalancer.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      },
      parent,
    );
    const https = new aws.lb.Listener(
      childName(name, "https"),
      {
        loadBalancerArn: this.loadBalancer.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        certificateArn: albCertificate,
        defaultActions: [
          {
            type: "fixed-response",
            fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not found" },
          },
        ],
      },
      parent,
    );

    const cachePolicy = new aws.cloudfront.CachePolicy(
      childName(name, "static-cache"),
      {
        comment:
          "Static assets: cached, keyed by the ALB session so a login redirect is never served to a signed-in user",
        minTtl: 0,
        defaultTtl: 86400,
        maxTtl: 31536000,
        parametersInCacheKeyAndForwardedToOrigin: {
          cookiesConfig: { cookieBehavior: "whitelist", cookies: { items: SESSION_COOKIES } },
          headersConfig: { headerBehavior: "none" },
          queryStringsConfig: { queryStringBehavior: "none" },
          enableAcceptEncodingBrotli: true,
          enableAcceptEncodingGzip: true,
        },
      },
      parent,
    );
    const behavior = {
      targetOriginId: "alb",
      viewerProtocolPolicy: "https-only",
      originRequestPolicyId: ALL_VIEWER,
      compress: true,
    };
    this.distribution = new aws.cloudfront.Distribution(
      childName(name, "cdn"),
      {
        enabled: true,
        isIpv6Enabled: true,
        httpVersion: "http2and3",
        priceClass: "PriceClass_100",
        aliases: [hosts.site],
        comment: `feedback-triage dashboard ${hosts.site}`,
        origins: [
          {
            originId: "alb",
            domainName: hosts.origin,
            customOriginConfig: {
              httpPort: 80,
              httpsPort: 443,
              originProtocolPolicy: "https-only",
              originSslProtocols: ["TLSv1.2"],
            },
          },
        ],
        defaultCacheBehavior: {
          ...behavior,
          allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
          cachedMethods: ["GET", "HEAD"],
          cachePolicyId: CACHING_DISABLED,
        },
        orderedCacheBehaviors: [
          {
            ...behavior,
            pathPattern: "/assets/*",
            allowedMethods: ["GET", "HEAD"],
            cachedMethods: ["GET", "HEAD"],
            cachePolicyId: cachePolicy.id,
          },
          {
            ...behavior,
            pathPattern: "/api/*",
            allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
            cachedMethods: ["GET", "HEAD"],
            cachePolicyId: CACHING_DISABLED,
          },
        ],
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: {
          acmCertificateArn: cdnCertificate,
          sslSupportMethod: "sni-only",
          minimumProtocolVersion: "TLSv1.2_2021",
        },
      },
      parent,
    );
    const alias = (
      part: string,
      host: string,
      target: { dnsName: pulumi.Input<string>; zoneId: pulumi.Input<string> },
    ) =>
      new aws.route53.Record(
        childName(name, part),
        {
          zoneId: args.hostedZoneId,
          name: host,
          type: "A",
          aliases: [{ name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: false }],
        },
        parent,
      );
    alias("site-dns", hosts.site, { dnsName: this.distribution.domainName, zoneId: this.distribution.hostedZoneId });
    alias("origin-dns", hosts.origin, { dnsName: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId });

    // One rule for every path, no stickiness: one stateless service (docs/infra-decisions.md); CloudFront splits
    // the paths (assets cached, API never).
    new aws.lb.ListenerRule(
      childName(name, "login-then-forward"),
      {
        listenerArn: https.arn,
        priority: 10,
        conditions: [{ pathPattern: { values: ["/*"] } }],
        actions: [
          this.authenticateAction(name, args, hosts.site),
          { order: 2, type: "forward", targetGroupArn: targetGroup.arn },
        ],
      },
      parent,
    );

    this.service = this.runService(name, args, region, targetGroup, https);
    this.url = pulumi.output(`https://${hosts.site}`);
    this.registerOutputs({ url: this.url, distributionId: this.distribution.id });
  }

  /** ARN of a DNS-validated certificate, available once validation has completed. */
  private certificate(
    name: string,
    part: string,
    domains: string[],
    zoneId: string,
    region?: string,
  ): pulumi.Output<string> {
    const parent = { parent: this };
    const cert = new aws.acm.Certificate(
      childName(name, part),
      { domainName: domains[0]!, subjectAlternativeNames: domains.slice(1), validationMethod: "DNS", region },
      parent,
    );
    const records = domains.map(
      (domain, i) =>
        new aws.route53.Record(
          childName(name, part, "validation", String(i)),
          {
            zoneId,
            name: cert.domainValidationOptions.apply(
              (o) => o.find((v) => v.domainName === domain)!.resourceRecordName!,
            ),
            type: cert.domainValidationOptions.apply(
              (o) => o.find((v) => v.domainName === domain)!.resourceRecordType!,
            ),
            records: [
              cert.domainValidationOptions.apply((o) => o.find((v) => v.domainName === domain)!.resourceRecordValue!),
            ],
            ttl: 300,
            // Both certificates cover the site name and so ask for the same validation record.
            allowOverwrite: true,
          },
          parent,
        ),
    );
    const validation = new aws.acm.CertificateValidation(
      childName(name, part, "validated"),
      { certificateArn: cert.arn, validationRecordFqdns: records.map((r) => r.fqdn), region },
      parent,
    );
    return validation.certificateArn;
  }

  private authenticateAction(name: string, args: DashboardArgs, site: string): aws.types.input.lb.ListenerRuleAction {
    if (args.oidc) {
      if (!args.oidcClientSecret) throw new Error("OIDC login needs the secret config value oidcClientSecret");
      return {
        order: 1,
        type: "authenticate-oidc",
        authenticateOidc: {
          issuer: args.oidc.issuer,
          clientId: args.oidc.clientId,
          clientSecret: args.oidcClientSecret,
          authorizationEndpoint: args.oidc.authorizationEndpoint,
          tokenEndpoint: args.oidc.tokenEndpoint,
          userInfoEndpoint: args.oidc.userInfoEndpoint,
          onUnauthenticatedRequest: "authenticate",
          sessionTimeout: 43200,
        },
      };
    }
    const parent = { parent: this };
    const pool = new aws.cognito.UserPool(
      childName(name, "users"),
      {
        usernameAttributes: ["email"],
        autoVerifiedAttributes: ["email"],
        adminCreateUserConfig: { allowAdminCreateUserOnly: true },
        passwordPolicy: {
          minimumLength: 12,
          requireLowercase: true,
          requireUppercase: true,
          requireNumbers: true,
          requireSymbols: false,
        },
        mfaConfiguration: "OPTIONAL",
        softwareTokenMfaConfiguration: { enabled: true },
        deletionProtection: args.production ? "ACTIVE" : "INACTIVE",
      },
      parent,
    );
    const account = aws.getCallerIdentityOutput({}, parent).accountId;
    // Hosted UI prefixes are global across AWS; stack and account make this one unique.
    const domain = new aws.cognito.UserPoolDomain(
      childName(name, "login-domain"),
      { userPoolId: pool.id, domain: pulumi.interpolate`feedback-${pulumi.getStack().toLowerCase()}-${account}` },
      parent,
    );
    const client = new aws.cognito.UserPoolClient(
      childName(name, "alb-client"),
      {
        userPoolId: pool.id,
        generateSecret: true,
        allowedOauthFlows: ["code"],
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthScopes: ["openid", "email"],
        supportedIdentityProviders: ["COGNITO"],
        callbackUrls: [`https://${site}/oauth2/idpresponse`],
      },
      parent,
    );
    return {
      order: 1,
      type: "authenticate-cognito",
      authenticateCognito: {
        userPoolArn: pool.arn,
        userPoolClientId: client.id,
        userPoolDomain: domain.domain,
        onUnauthenticatedRequest: "authenticate",
        sessionTimeout: 43200,
      },
    };
  }

  private runService(
    name: string,
    args: DashboardArgs,
    region: pulumi.Output<string>,
    targetGroup: aws.lb.TargetGroup,
    listener: aws.lb.Listener,
  ): aws.ecs.Service {
    const parent = { parent: this };
    const image = args.image ? pulumi.output(args.image) : this.buildImage(name);
    const execRole = executionRole(name, this, [args.appSecretArn]);
    const role = taskRole(name, this, [
      {
        Sid: "ReadMetrics",
        Action: ["dynamodb:Query", "dynamodb:BatchGetItem"],
        Resource: [
          args.tables.metricsArn,
          pulumi.interpolate`${args.tables.metricsArn}/index/*`,
          args.tables.analyticsArn,
          pulumi.interpolate`${args.tables.analyticsArn}/index/*`,
        ],
      },
      // The Quality page records each evaluation run's metrics (points and daily counters).
      {
        Sid: "RecordMetrics",
        Action: ["dynamodb:BatchWriteItem", "dynamodb:UpdateItem"],
        Resource: [args.tables.metricsArn, args.tables.analyticsArn],
      },
      { Sid: "ReadArtifacts", Action: "s3:GetObject", Resource: pulumi.interpolate`${args.artifacts.arn}/*` },
      { Sid: "PublishUploads", Action: "events:PutEvents", Resource: args.eventBus.arn },
      // Replaying dead letters from the dashboard: take them off the DLQ, put them back on the queue.
      {
        Sid: "ReplayDeadLetters",
        Action: [
          "sqs:ReceiveMessage",
          "sqs:DeleteMessage",
          "sqs:ChangeMessageVisibility",
          "sqs:GetQueueAttributes",
          "sqs:StartMessageMoveTask",
          "sqs:ListMessageMoveTasks",
        ],
        Resource: args.dlq.arn,
      },
      { Sid: "Requeue", Action: ["sqs:SendMessage", "sqs:GetQueueAttributes"], Resource: args.queue.arn },
      ...(args.integrationSecretsArn
        ? [{ Sid: "IntegrationSecrets", Action: "secretsmanager:GetSecretValue", Resource: args.integrationSecretsArn }]
        : []),
    ]);
    const logGroup = serviceLogGroup(name, this, args.logRetentionDays);
    const taskDefinition = fargateTaskDefinition(name, this, {
      cpu: args.cpu ?? 512,
      memoryMb: args.memoryMb ?? 1024,
      executionRoleArn: execRole.arn,
      taskRoleArn: role.arn,
      containers: [
        {
          name: "dashboard",
          image,
          essential: true,
          command: DASHBOARD_COMMAND,
          portMappings: [{ containerPort: DASHBOARD_PORT, protocol: "tcp" }],
          healthCheck: httpHealthCheck(DASHBOARD_PORT),
          environment: [
            { name: "NODE_ENV", value: "production" },
            { name: "PORT", value: String(DASHBOARD_PORT) },
            { name: "FEEDBACK_BACKEND", value: "aws" },
            { name: "FEEDBACK_MIGRATIONS", value: "skip" },
            // The app verifies the ALB's identity token and accepts only this load balancer's signature.
            { name: "DASHBOARD_AUTH", value: "alb" },
            { name: "DASHBOARD_ALB_ARN", value: this.loadBalancer.arn },
            { name: settingEnv("region"), value: region },
            { name: settingEnv("queueUrl"), value: args.queue.url },
            { name: settingEnv("dlqUrl"), value: args.dlq.url },
            { name: settingEnv("eventBusName"), value: args.eventBus.name },
            { name: settingEnv("metricsTableName"), value: args.tables.metricsName },
            { name: settingEnv("analyticsTableName"), value: args.tables.analyticsName },
            { name: settingEnv("artifactsBucketName"), value: args.artifacts.name },
            { name: settingEnv("databaseSecretArn"), value: args.appSecretArn },
            ...(args.integrationSecretsArn
              ? [{ name: settingEnv("integrationSecretsArn"), value: args.integrationSecretsArn }]
              : []),
            ...tracingEnvironment("dashboard"),
          ],
          secrets: [
            { name: "DATABASE_URL", valueFrom: pulumi.interpolate`${args.appSecretArn}:url::` },
            // The overview, analytics and usage pages read from the replica, off the primary that takes the writes.
            ...(args.readReplica
              ? [{ name: "DATABASE_READER_URL", valueFrom: pulumi.interpolate`${args.appSecretArn}:readerUrl::` }]
              : []),
          ],
          logConfiguration: awsLogs(logGroup, region, "dashboard"),
        },
        traceCollector(logGroup, region),
      ],
    });
    const minTasks = args.minTasks ?? 2;
    const service = new aws.ecs.Service(
      childName(name, "service"),
      {
        cluster: args.clusterArn,
        taskDefinition: taskDefinition.arn,
        desiredCount: minTasks,
        launchType: "FARGATE",
        networkConfiguration: {
          subnets: args.privateSubnetIds,
          securityGroups: [args.securityGroupId],
          assignPublicIp: false,
        },
        loadBalancers: [{ targetGroupArn: targetGroup.arn, containerName: "dashboard", containerPort: DASHBOARD_PORT }],
        healthCheckGracePeriodSeconds: 60,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        propagateTags: "SERVICE",
        enableEcsManagedTags: true,
      },
      { parent: this, dependsOn: [listener, ...(args.dependsOn ?? [])], ignoreChanges: ["desiredCount"] },
    );
    const target = new aws.appautoscaling.Target(
      childName(name, "scaling-target"),
      {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: pulumi.interpolate`service/${args.clusterName}/${service.name}`,
        minCapacity: minTasks,
        maxCapacity: args.maxTasks ?? 10,
      },
      parent,
    );
    const scaleOn = (part: string, metric: string, targetValue: number) =>
      new aws.appautoscaling.Policy(
        childName(name, part),
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          scalableDimension: target.scalableDimension,
          resourceId: target.resourceId,
          targetTrackingScalingPolicyConfiguration: {
            targetValue,
            predefinedMetricSpecification: { predefinedMetricType: metric },
            scaleInCooldown: 300,
            scaleOutCooldown: 60,
          },
        },
        parent,
      );
    scaleOn("cpu-scaling", "ECSServiceAverageCPUUtilization", args.cpuTarget ?? 70);
    scaleOn("memory-scaling", "ECSServiceAverageMemoryUtilization", args.memoryTarget ?? 75);
    return service;
  }

  private buildImage(name: string): pulumi.Output<string> {
    const repository = new aws.ecr.Repository(
      childName(name, "repo"),
      { imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE", forceDelete: true },
      { parent: this },
    );
    return new awsx.ecr.Image(
      childName(name, "image"),
      {
        repositoryUrl: repository.repositoryUrl,
        context: ".",
        dockerfile: "dashboard/Dockerfile",
        platform: "linux/amd64",
      },
      { parent: this },
    ).imageUri;
  }
}
