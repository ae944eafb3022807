import {
  DEFAULT_MAX_BODY_BYTES,
  handleWebhook,
  type WebhookDeps,
  type WebhookResponse,
  type WebhookSecrets,
  webhookSecretsOf,
} from "../../app/webhooks/webhook.js";
import { DynamoDeliveryStore } from "../../sdk/aws/deliveries.js";
import { EventBridgePublisher } from "../../sdk/aws/event-bus.js";
import { loadRuntimeConfig, type RuntimeConfig } from "../../sdk/config/runtime.js";
import { ConfigurationError } from "../../sdk/errors.js";
import { createLog, log as defaultLog } from "../../sdk/log.js";
import { startTracing } from "../../sdk/tracing/setup.js";
import { awsClients, awsSettings, oncePerContainer, secretReader, traced } from "./aws-runtime.js";

/** The parts of an API Gateway proxy event (REST API v1 or HTTP API v2) the webhook reads. */
export interface ApiGatewayProxyEvent {
  httpMethod?: string;
  path?: string;
  rawPath?: string;
  requestContext?: { http?: { method?: string; path?: string }; requestId?: string };
  headers?: Record<string, string | undefined> | null;
  pathParameters?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

export type ApiGatewayProxyResult = WebhookResponse;

/** The request the webhook core sees: lower-case headers, the raw body bytes, the channel's path. */
export function toWebhookRequest(event: ApiGatewayProxyEvent) {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const channel = event.pathParameters?.channel;
  return {
    method: event.requestContext?.http?.method ?? event.httpMethod ?? "POST",
    path: channel ? `/webhooks/${channel}` : (event.rawPath ?? event.requestContext?.http?.path ?? event.path ?? "/"),
    headers,
    body:
      typeof event.body === "string"
        ? Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8")
        : Buffer.alloc(0),
  };
}

/**
 * A Lambda handler over the webhook core; `deps` is resolved once per container. The core answers every
 * fault of the request with a 4xx; anything thrown is ours (deps that cannot be built, a bug), answered
 * 500 in JSON so the sender retries, rather than left to API Gateway's bare 502.
 */
export function createWebhookLambda(
  deps: () => Promise<WebhookDeps>,
): (event: ApiGatewayProxyEvent) => Promise<ApiGatewayProxyResult> {
  const ready = oncePerContainer(deps);
  return async (event) => {
    let log = defaultLog;
    try {
      const built = await ready();
      log = built.log ?? log;
      return await handleWebhook(built, toWebhookRequest(event));
    } catch (error) {
      log("error", "webhook.internal_error", { error: error instanceof Error ? error.message : String(error) });
      return {
        statusCode: 500,
        headers: { "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify({ error: "internal", message: "The webhook failed on our side; retry the delivery" }),
      };
    }
  };
}

/**
 * Secrets from FEEDBACK_WEBHOOK_SECRET_* or, in AWS, from the Secrets Manager secret named by
 * FEEDBACK_WEBHOOK_SECRETS_ARN (JSON: {"zendesk": "...", "intercom": "...", "generic": "..."}).
 */
async function secretsForLambda(config: RuntimeConfig): Promise<WebhookSecrets> {
  const fromEnv = webhookSecretsOf(config.webhooks);
  const arn = config.webhooks.secretsArn;
  if (!arn) return fromEnv;
  const raw = await secretReader(config.aws).read(arn);
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(raw) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigurationError(`Secret ${arn} is not JSON`, {
      cause: error,
      hint: 'Store {"zendesk": "...", "intercom": "...", "generic": "..."}.',
    });
  }
  const secrets: WebhookSecrets = { ...fromEnv };
  for (const channel of ["zendesk", "intercom", "generic"] as const) {
    const value = parsed[channel];
    if (typeof value === "string" && value) secrets[channel] = value;
  }
  return secrets;
}

async function defaultDeps(config: RuntimeConfig): Promise<WebhookDeps> {
  const settings = awsSettings(config.aws, ["eventBusName", "analyticsTableName"]);
  const clients = awsClients(config.aws);
  const log = createLog(config.log.level);
  const secrets = await secretsForLambda(config);
  if (Object.keys(secrets).length === 0)
    log("error", "webhook.no_secrets", { hint: "set FEEDBACK_WEBHOOK_SECRETS_ARN or FEEDBACK_WEBHOOK_SECRET_*" });
  return {
    bus: new EventBridgePublisher(clients.eventBridge, { eventBusName: settings.eventBusName }),
    deliveries: new DynamoDeliveryStore(clients.dynamo, settings.analyticsTableName),
    secrets,
    maxBodyBytes: config.webhooks.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    log,
  };
}

// Parsed once per container, at load: a malformed variable fails the function's init with its name.
const config = loadRuntimeConfig(process.env);
const tracing = startTracing(config.tracing, { service: "webhook-lambda" });

/** API Gateway proxy integration: POST /webhooks/{channel}. */
export const handler = traced(
  tracing,
  "webhook.request",
  createWebhookLambda(() => defaultDeps(config)),
);
