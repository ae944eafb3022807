import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName, settingEnv } from "../names.js";
import { assumedBy, policyDocument, type Statement } from "../policy-documents.js";
import { SecureBucket } from "./bucket.js";
import { NodeFunction } from "./node-function.js";
import { deadLetterQueue } from "./queue.js";
import { TRACKER_EVENTS_PATH } from "./tracker-events.js";

export interface SourcesArgs {
  busArn: pulumi.Input<string>;
  busName: pulumi.Input<string>;
  /** The webhook handler records deliveries (for deduplication) in the analytics table. */
  analyticsTable: { arn: pulumi.Input<string>; name: pulumi.Input<string> };
  /** The upload handler writes a report per file below uploads/ in the artifacts bucket. */
  artifacts: { arn: pulumi.Input<string>; name: pulumi.Input<string> };
  handlers?: Partial<Record<"webhook" | "upload" | "email", string>>;
  rateLimit?: number;
  burstLimit?: number;
  quotaPerDay?: number;
  sesEnabled?: boolean;
  /**
   * Make the stack's receipt rule set SES's active one. There is one active set per account and region, so this
   * replaces whatever set is active; off: the set is created inactive (docs/account-singletons.md).
   */
  activateMailRuleSet?: boolean;
  /** Addresses or domains SES accepts mail for; empty accepts every verified identity. */
  mailRecipients?: string[];
  /**
   * API Gateway's access and execution logs need the account's CloudWatch role, one per account and region:
   * "none" writes no API logs, "existing" uses the role the account already has, "create" sets one (replacing any).
   */
  apiLogging?: ApiLogging;
  logRetentionDays?: number;
  forceDestroy?: boolean;
  /** See NodeFunctionArgs.tracingLayerArn. */
  tracingLayerArn?: string;
  /** The trackers' webhook Lambda (tracker-events.ts), routed at POST /integrations/{destination}/events. */
  trackerEvents?: NodeFunction;
}

export type ApiLogging = "none" | "existing" | "create";

export const SOURCE_HANDLERS = {
  webhook: "worker/handlers/webhook-lambda.ts",
  upload: "worker/handlers/s3-upload-lambda.ts",
  email: "worker/handlers/ses-lambda.ts",
} as const;
/** Review exports and support e-mail exports dropped into the uploads bucket (worker/handlers/s3-upload-lambda.ts). */
export const UPLOAD_PREFIXES = ["reviews/", "emails/"];
/** Where SES stores raw mail; the mail Lambda reads it from there, the upload Lambda never sees it. */
export const MAIL_PREFIX = "mail/";
/** POST /webhooks/<provider>; real-time reviews come in through the generic one. */
export const WEBHOOK_PROVIDERS = ["zendesk", "intercom", "generic"] as const;
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  apiKeyId: "$context.identity.apiKeyId",
  method: "$context.httpMethod",
  path: "$context.resourcePath",
  status: "$context.status",
  latencyMs: "$context.responseLatency",
  error: "$context.error.message",
  validationError: "$context.error.validationErrorString",
});
/** Intercom cannot send custom headers, so it cannot present an API key; its HMAC signature is checked instead. */
const WITHOUT_API_KEY = new Set<string>(["intercom"]);
export const API_STAGE = "v1";

const WEBHOOK_MODEL = { $schema: "http://json-schema.org/draft-04/schema#", title: "Webhook", type: "object" };

/** Where feedback comes from: file uploads to S3, the HTTP API (reviews and webhooks) and e-mail via SES. */
export class Sources extends pulumi.ComponentResource {
  readonly uploads: SecureBucket;
  readonly api: aws.apigateway.RestApi;
  readonly stage: aws.apigateway.Stage;
  readonly apiKey: aws.apigateway.ApiKey;
  /** JSON {"zendesk": ..., "intercom": ..., "generic": ...}: the webhook signing secrets, set by the operator. */
  readonly webhookSecrets: aws.secretsmanager.Secret;
  readonly functions: { kind: string; fn: NodeFunction }[] = [];
  readonly uploadTargetDlq: aws.sqs.Queue;

  constructor(name: string, args: SourcesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:sources:Sources", name, {}, opts);
    const parent = { parent: this };
    const account = aws.getCallerIdentityOutput({}, parent).accountId;
    const region = aws.getRegionOutput({}, parent).region;
    const ruleSetName = childName(name, "mail", pulumi.getStack());
    const publish = { Action: "events:PutEvents", Resource: args.busArn };
    const handler = (
      kind: keyof typeof SOURCE_HANDLERS,
      settings: { timeout: number; memorySize: number },
      extra: Statement[],
      environment: Record<string, pulumi.Input<string>>,
    ) => {
      const fn = new NodeFunction(
        childName(name, kind, "lambda"),
        {
          entry: args.handlers?.[kind] ?? SOURCE_HANDLERS[kind],
          ...settings,
          logRetentionDays: args.logRetentionDays,
          tracingLayerArn: args.tracingLayerArn,
          environment: { [settingEnv("eventBusName")]: args.busName, ...environment },
          statements: [publish, ...extra],
        },
        parent,
      );
      this.functions.push({ kind, fn });
      return fn;
    };

    this.uploads = new SecureBucket(
      childName(name, "uploads"),
      {
        eventBridge: true,
        expireAfterDays: 365,
        forceDestroy: args.forceDestroy,
        statements: (arn) =>
          args.sesEnabled === false
            ? []
            : [
                {
                  Sid: "SesStoresMail",
                  Principal: { Service: "ses.amazonaws.com" },
                  Action: "s3:PutObject",
                  Resource: pulumi.interpolate`${arn}/${MAIL_PREFIX}*`,
                  Condition: {
                    StringEquals: { "aws:SourceAccount": account },
                    ArnLike: {
                      "aws:SourceArn": pulumi.interpolate`arn:aws:ses:${region}:${account}:receipt-rule-set/${ruleSetName}:receipt-rule/*`,
                    },
                  },
                },
              ],
      },
      parent,
    );
    const uploadsArn = this.uploads.bucket.arn;

    const upload = handler(
      "upload",
      { timeout: 300, memorySize: 1024 },
      [
        {
          Action: "s3:GetObject",
          Resource: UPLOAD_PREFIXES.map((prefix) => pulumi.interpolate`${uploadsArn}/${prefix}*`),
        },
        // The report is one PutObject, or a multipart upload that is aborted if it fails.
        {
          Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
          Resource: pulumi.interpolate`${args.artifacts.arn}/uploads/*`,
        },
      ],
      { [settingEnv("artifactsBucketName")]: args.artifacts.name },
    );
    this.uploadTargetDlq = this.routeUploads(name, upload, this.uploads.bucket.bucket);

    this.webhookSecrets = new aws.secretsmanager.Secret(
      childName(name, "webhook-secrets"),
      { description: 'Webhook signing secrets: {"zendesk": "...", "intercom": "...", "generic": "..."}' },
      parent,
    );
    const webhook = handler(
      "webhook",
      { timeout: 30, memorySize: 256 },
      [
        { Action: "secretsmanager:GetSecretValue", Resource: this.webhookSecrets.arn },
        // Claim a delivery id (conditional put), read it back when it was already claimed, release it on failure.
        { Action: ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem"], Resource: args.analyticsTable.arn },
      ],
      {
        FEEDBACK_WEBHOOK_SECRETS_ARN: this.webhookSecrets.arn,
        [settingEnv("analyticsTableName")]: args.analyticsTable.name,
      },
    );
    const api = this.restApi(name, webhook, args);
    this.api = api.api;
    this.stage = api.stage;
    this.apiKey = api.key;

    if (args.sesEnabled ?? true) {
      const mail = handler(
        "email",
        { timeout: 60, memorySize: 512 },
        [{ Action: "s3:GetObject", Resource: pulumi.interpolate`${uploadsArn}/${MAIL_PREFIX}*` }],
        { [settingEnv("uploadsBucketName")]: this.uploads.bucket.bucket, FEEDBACK_MAIL_PREFIX: MAIL_PREFIX },
      );
      this.receiveMail(name, ruleSetName, mail, account, args.mailRecipients ?? [], args.activateMailRuleSet ?? false);
    }
    this.registerOutputs({ apiUrl: this.stage.invokeUrl, uploadsBucket: this.uploads.bucket.bucket });
  }

  /** S3 sends "Object Created" to the default bus; a rule there hands review files to the upload Lambda. */
  private routeUploads(name: string, fn: NodeFunction, bucketName: pulumi.Output<string>): aws.sqs.Queue {
    const parent = { parent: this };
    const dlq = deadLetterQueue(childName(name, "upload-target-dlq"), this);
    const rule = new aws.cloudwatch.EventRule(
      childName(name, "upload-rule"),
      {
        description: "Review files uploaded to the uploads bucket",
        eventPattern: bucketName.apply((bucket) =>
          JSON.stringify({
            source: ["aws.s3"],
            "detail-type": ["Object Created"],
            detail: { bucket: { name: [bucket] }, object: { key: UPLOAD_PREFIXES.map((prefix) => ({ prefix })) } },
          }),
        ),
      },
      parent,
    );
    new aws.cloudwatch.EventTarget(
      childName(name, "upload-target"),
      {
        rule: rule.name,
        arn: fn.function.arn,
        retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: dlq.arn },
      },
      parent,
    );
    new aws.lambda.Permission(
      childName(name, "upload-invoke"),
      {
        action: "lambda:InvokeFunction",
        function: fn.function.name,
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
      },
      parent,
    );
    new aws.sqs.QueuePolicy(
      childName(name, "upload-target-dlq-policy"),
      {
        queueUrl: dlq.url,
        policy: policyDocument([
          {
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: dlq.arn,
            Condition: { ArnEquals: { "aws:SourceArn": rule.arn } },
          },
        ]),
      },
      parent,
    );
    return dlq;
  }

  private restApi(name: string, fn: NodeFunction, args: SourcesArgs) {
    const parent = { parent: this };
    const api = new aws.apigateway.RestApi(
      childName(name, "api"),
      {
        description: "feedback-triage: webhooks (Zendesk, Intercom) and real-time reviews (generic)",
        endpointConfiguration: { types: "REGIONAL" },
        apiKeySource: "HEADER",
      },
      parent,
    );
    const validator = new aws.apigateway.RequestValidator(
      childName(name, "validator"),
      { restApi: api.id, validateRequestBody: true, validateRequestParameters: true },
      parent,
    );
    const model = (part: string, schema: object) =>
      new aws.apigateway.Model(
        childName(name, part, "model"),
        {
          restApi: api.id,
          name: part.replace(/-/g, ""),
          contentType: "application/json",
          schema: JSON.stringify(schema),
        },
        parent,
      );
    const webhookModel = model("webhook", WEBHOOK_MODEL);
    const webhooks = new aws.apigateway.Resource(
      childName(name, "webhooks"),
      { restApi: api.id, parentId: api.rootResourceId, pathPart: "webhooks" },
      parent,
    );
    const routes = WEBHOOK_PROVIDERS.map((provider) => ({
      part: provider,
      parentId: webhooks.id,
      model: webhookModel,
    }));
    const wiring: pulumi.Resource[] = [];
    for (const route of routes) {
      const resource = new aws.apigateway.Resource(
        childName(name, route.part),
        { restApi: api.id, parentId: route.parentId, pathPart: route.part },
        parent,
      );
      const method = new aws.apigateway.Method(
        childName(name, route.part, "post"),
        {
          restApi: api.id,
          resourceId: resource.id,
          httpMethod: "POST",
          authorization: "NONE",
          apiKeyRequired: !WITHOUT_API_KEY.has(route.part),
          requestValidatorId: validator.id,
          requestModels: { "application/json": route.model.name },
        },
        parent,
      );
      const integration = new aws.apigateway.Integration(
        childName(name, route.part, "integration"),
        {
          restApi: api.id,
          resourceId: resource.id,
          httpMethod: method.httpMethod,
          type: "AWS_PROXY",
          integrationHttpMethod: "POST",
          uri: fn.function.invokeArn,
        },
        parent,
      );
      wiring.push(resource, method, integration);
    }
    if (args.trackerEvents) wiring.push(...this.trackerEventsRoute(name, api, args.trackerEvents));
    new aws.lambda.Permission(
      childName(name, "api-invoke"),
      {
        action: "lambda:InvokeFunction",
        function: fn.function.name,
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.interpolate`${api.executionArn}/*/POST/*`,
      },
      parent,
    );
    // A new deployment whenever the routes change.
    const deployment = new aws.apigateway.Deployment(
      childName(name, "deployment"),
      {
        restApi: api.id,
        triggers: {
          routes: createHash("sha256")
            .update(
              JSON.stringify([
                routes.map((r) => r.part),
                [...WITHOUT_API_KEY],
                WEBHOOK_MODEL,
                args.trackerEvents ? TRACKER_EVENTS_PATH : [],
              ]),
            )
            .digest("hex"),
        },
      },
      { parent: this, dependsOn: wiring },
    );
    const logging = args.apiLogging ?? "none";
    const account = logging === "create" ? [this.apiGatewayLogging(name)] : [];
    const accessLogs =
      logging === "none"
        ? undefined
        : new aws.cloudwatch.LogGroup(
            childName(name, "api-access-logs"),
            { retentionInDays: args.logRetentionDays ?? 30 },
            parent,
          );
    const stage = new aws.apigateway.Stage(
      childName(name, "stage"),
      {
        restApi: api.id,
        deployment: deployment.id,
        stageName: API_STAGE,
        xrayTracingEnabled: true,
        ...(accessLogs ? { accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT } } : {}),
      },
      { parent: this, dependsOn: account },
    );
    new aws.apigateway.MethodSettings(
      childName(name, "method-settings"),
      {
        restApi: api.id,
        stageName: stage.stageName,
        methodPath: "*/*",
        settings: {
          metricsEnabled: true,
          loggingLevel: logging === "none" ? "OFF" : "ERROR",
          throttlingRateLimit: args.rateLimit ?? 20,
          throttlingBurstLimit: args.burstLimit ?? 40,
        },
      },
      parent,
    );
    const plan = new aws.apigateway.UsagePlan(
      childName(name, "usage-plan"),
      {
        description: "Per-key limits for feedback sources",
        apiStages: [{ apiId: api.id, stage: stage.stageName }],
        throttleSettings: { rateLimit: args.rateLimit ?? 20, burstLimit: args.burstLimit ?? 40 },
        quotaSettings: { limit: args.quotaPerDay ?? 50_000, period: "DAY" },
      },
      parent,
    );
    const key = new aws.apigateway.ApiKey(
      childName(name, "api-key"),
      { description: "Default key for webhook senders", enabled: true },
      parent,
    );
    new aws.apigateway.UsagePlanKey(
      childName(name, "usage-plan-key"),
      { keyId: key.id, keyType: "API_KEY", usagePlanId: plan.id },
      parent,
    );
    return { api, stage, key };
  }

  /**
   * POST /integrations/{destination}/events to the trackers' Lambda. No API key (GitHub, Linear and Jira send no
   * custom header) and no body model: the tracker's signature over the raw body is the credential, checked there.
   */
  private trackerEventsRoute(name: string, api: aws.apigateway.RestApi, fn: NodeFunction): pulumi.Resource[] {
    const parent = { parent: this };
    let parentId: pulumi.Input<string> = api.rootResourceId;
    const resources = TRACKER_EVENTS_PATH.map((pathPart) => {
      const resource = new aws.apigateway.Resource(
        childName(name, "tracker", pathPart.replace(/[{}]/g, "")),
        { restApi: api.id, parentId, pathPart },
        parent,
      );
      parentId = resource.id;
      return resource;
    });
    const events = resources.at(-1)!;
    const method = new aws.apigateway.Method(
      childName(name, "tracker-events-post"),
      {
        restApi: api.id,
        resourceId: events.id,
        httpMethod: "POST",
        authorization: "NONE",
        apiKeyRequired: false,
        requestParameters: { "method.request.path.destination": true },
      },
      parent,
    );
    const integration = new aws.apigateway.Integration(
      childName(name, "tracker-events-integration"),
      {
        restApi: api.id,
        resourceId: events.id,
        httpMethod: method.httpMethod,
        type: "AWS_PROXY",
        integrationHttpMethod: "POST",
        uri: fn.function.invokeArn,
      },
      parent,
    );
    const permission = new aws.lambda.Permission(
      childName(name, "tracker-events-invoke"),
      {
        action: "lambda:InvokeFunction",
        function: fn.function.name,
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.interpolate`${api.executionArn}/*/POST/integrations/*/events`,
      },
      parent,
    );
    return [...resources, method, integration, permission];
  }

  /** API Gateway writes access and execution logs through one role per account and region. */
  private apiGatewayLogging(name: string): aws.apigateway.Account {
    const parent = { parent: this };
    const role = new aws.iam.Role(
      childName(name, "apigw-logs-role"),
      { assumeRolePolicy: assumedBy("apigateway.amazonaws.com") },
      parent,
    );
    new aws.iam.RolePolicyAttachment(
      childName(name, "apigw-logs-managed"),
      { role: role.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs" },
      parent,
    );
    return new aws.apigateway.Account(childName(name, "apigw-account"), { cloudwatchRoleArn: role.arn }, parent);
  }

  private receiveMail(
    name: string,
    ruleSetName: string,
    fn: NodeFunction,
    account: pulumi.Output<string>,
    recipients: string[],
    activate: boolean,
  ): void {
    const parent = { parent: this };
    const ruleSet = new aws.ses.ReceiptRuleSet(childName(name, "mail-rules"), { ruleSetName }, parent);
    const permission = new aws.lambda.Permission(
      childName(name, "mail-invoke"),
      {
        action: "lambda:InvokeFunction",
        function: fn.function.name,
        principal: "ses.amazonaws.com",
        sourceAccount: account,
      },
      parent,
    );
    new aws.ses.ReceiptRule(
      childName(name, "mail-rule"),
      {
        ruleSetName: ruleSet.ruleSetName,
        name: "store-then-ingest",
        enabled: true,
        scanEnabled: true,
        tlsPolicy: "Require",
        ...(recipients.length > 0 ? { recipients } : {}),
        s3Actions: [{ position: 1, bucketName: this.uploads.bucket.bucket, objectKeyPrefix: MAIL_PREFIX }],
        lambdaActions: [{ position: 2, functionArn: fn.function.arn, invocationType: "Event" }],
      },
      // SES checks on creation that it may write to the bucket and invoke the function.
      { parent: this, dependsOn: [this.uploads.policy, permission] },
    );
    if (activate) {
      new aws.ses.ActiveReceiptRuleSet(childName(name, "mail-active"), { ruleSetName: ruleSet.ruleSetName }, parent);
    }
  }
}
