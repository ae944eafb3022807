import { integrationSecretStore, type SecretResolver, secretResolver } from "../../app/integrations/secrets.js";
import { handleTrackerWebhook, trackerEventsDestination } from "../../app/integrations/trackers/tracker-webhooks.js";
import type { Backend } from "../../sdk/backend.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { createLog, log as defaultLog, type LogFn } from "../../sdk/log.js";
import { openBackend } from "../../sdk/open-backend.js";
import { startTracing } from "../../sdk/tracing/setup.js";
import { oncePerContainer, traced } from "./aws-runtime.js";

/**
 * The parts of an API Gateway Lambda proxy event the handler reads: the REST API's (payload 1.0, `path`) and the
 * HTTP API's (payload 2.0, `rawPath`) share them.
 */
export interface TrackerEventsEvent {
  path?: string;
  rawPath?: string;
  pathParameters?: Record<string, string | undefined> | null;
  headers?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: { requestId?: string };
}

export interface TrackerEventsResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface TrackerEventsLambdaDeps {
  backend: Backend;
  secrets: SecretResolver;
  log?: LogFn;
}

const json = (statusCode: number, body: Record<string, unknown>): TrackerEventsResult => ({
  statusCode,
  headers: { "content-type": "application/json; charset=utf-8" },
  body: JSON.stringify(body),
});

/** Header names in lower case, as the use case reads them (the REST API keeps the sender's casing). */
function lowerCased(headers: TrackerEventsEvent["headers"]): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}

/**
 * The trackers' signed webhooks on AWS (two-way status sync), in the VPC beside RDS: the same use case as `serve`'s
 * POST /integrations/<destination>/events, on the raw body as the tracker signed it. A fault on our side is a 500,
 * so the tracker retries the delivery.
 */
export function createTrackerEventsLambda(
  deps: () => Promise<TrackerEventsLambdaDeps>,
): (event: TrackerEventsEvent) => Promise<TrackerEventsResult> {
  const ready = oncePerContainer(deps);
  return async (event) => {
    const destination =
      event.pathParameters?.destination ?? trackerEventsDestination(event.rawPath ?? event.path ?? "");
    if (!destination) return json(404, { error: "not_found", message: "No tracker destination in the path" });
    const body = Buffer.from(event.body ?? "", event.isBase64Encoded ? "base64" : "utf8");
    let log = defaultLog;
    try {
      const built = await ready();
      log = built.log ?? log;
      const answer = await handleTrackerWebhook(
        { backend: built.backend, secrets: built.secrets },
        { destination, headers: lowerCased(event.headers), body },
      );
      log("info", "tracker.event", {
        destination,
        status: answer.statusCode,
        result: answer.body.result ?? answer.body.error,
        requestId: event.requestContext?.requestId,
      });
      return json(answer.statusCode, answer.body);
    } catch (error) {
      log("error", "tracker.event.failed", {
        destination,
        error: error instanceof Error ? error.message : String(error),
      });
      return json(500, { error: "internal", message: "The event was not applied; the tracker may retry it" });
    }
  };
}

// Parsed once per container, at load: a malformed variable fails the function's init with its name.
const config = loadRuntimeConfig(process.env);
const tracing = startTracing(config.tracing, { service: "tracker-events-lambda" });
const backend = oncePerContainer(() => openBackend({ config }));
const secretStore = oncePerContainer(() => integrationSecretStore(config.aws));

/**
 * POST /integrations/{destination}/events on the public API: the database from the stack's secret, the trackers'
 * webhook secrets (`env:NAME`) from the integrations' secret first, then the environment.
 */
export const handler = traced(
  tracing,
  "tracker.event",
  createTrackerEventsLambda(async () => ({
    backend: await backend(),
    secrets: secretResolver(config.credentialEnv, await secretStore()),
    log: createLog(config.log.level),
  })),
);
