import { changeTicket, listTickets } from "../../app/tickets/tickets-service.js";
import type { Backend } from "../../sdk/backend.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { ConflictError, FeedbackTriageError, NotFoundError, ValidationError } from "../../sdk/errors.js";
import { createLog, log as defaultLog, type LogFn } from "../../sdk/log.js";
import { openBackend } from "../../sdk/open-backend.js";
import {
  OPERATOR_API,
  OPERATOR_OPERATIONS,
  type OperatorError,
  type OperatorOperation,
  type OperatorResponse,
} from "../../sdk/remote/operator-api.js";
import { startTracing } from "../../sdk/tracing/setup.js";
import { oncePerContainer, traced } from "./aws-runtime.js";

/** The parts of an HTTP API (payload 2.0) event with IAM authorization the tickets Lambda reads. */
export interface OperatorApiEvent {
  rawPath?: string;
  pathParameters?: Record<string, string | undefined> | null;
  requestContext?: {
    http?: { method?: string };
    requestId?: string;
    authorizer?: { iam?: { userArn?: string; callerId?: string; accountId?: string } };
  };
  body?: string | null;
  isBase64Encoded?: boolean;
}

export interface OperatorApiResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface TicketsLambdaDeps {
  backend: Backend;
  log?: LogFn;
}

const json = (statusCode: number, body: unknown): OperatorApiResult => ({
  statusCode,
  headers: { "content-type": "application/json; charset=utf-8" },
  body: JSON.stringify(body),
});
const failure = (statusCode: number, error: OperatorError["error"], message: string, hint?: string) =>
  json(statusCode, { error, message, ...(hint ? { hint } : {}) } satisfies OperatorError);

/**
 * The operator API's Lambda (in the VPC, beside RDS): answers the CLI's ticket reads and manual changes through the
 * app layer, for callers API Gateway has authenticated with SigV4 (AWS_IAM on every route). A change is recorded as
 * made by the caller's IAM ARN from the request context, whatever the body says. Faults of the request are 4xx with
 * the SDK error's message and hint; anything else is a 500 without internals.
 */
export function createTicketsLambda(
  deps: () => Promise<TicketsLambdaDeps>,
): (event: OperatorApiEvent) => Promise<OperatorApiResult> {
  const ready = oncePerContainer(deps);
  return async (event) => {
    const caller = event.requestContext?.authorizer?.iam?.userArn;
    if (!caller) return failure(403, "forbidden", "The request carries no IAM identity");
    const operation = event.pathParameters?.operation ?? event.rawPath?.split("/").pop() ?? "";
    if (!(OPERATOR_OPERATIONS as string[]).includes(operation))
      return failure(
        404,
        "not_found",
        `No operation ${JSON.stringify(operation.slice(0, 50))}`,
        `One of: ${OPERATOR_OPERATIONS.join(", ")}`,
      );
    let body: unknown;
    try {
      const text = event.body
        ? Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8").toString("utf8")
        : "{}";
      body = JSON.parse(text);
    } catch (error) {
      return failure(400, "validation", `The body is not JSON: ${(error as Error).message}`);
    }
    let log = defaultLog;
    try {
      const built = await ready();
      log = built.log ?? log;
      const result = await answer(built.backend, operation as OperatorOperation, body, caller);
      log("info", "operator.call", { operation, caller, requestId: event.requestContext?.requestId });
      return json(200, result);
    } catch (error) {
      if (error instanceof ValidationError) return failure(400, "validation", error.message, error.hint);
      if (error instanceof NotFoundError) return failure(404, "not_found", error.message, error.hint);
      if (error instanceof ConflictError) return failure(409, "conflict", error.message, error.hint);
      log("error", "operator.failed", {
        operation,
        caller,
        error: error instanceof Error ? error.message : String(error),
        code: error instanceof FeedbackTriageError ? error.code : undefined,
      });
      return failure(500, "internal", "The operator API failed on our side; retry, or see the Lambda's log");
    }
  };
}

async function answer(
  backend: Backend,
  operation: OperatorOperation,
  body: unknown,
  caller: string,
): Promise<OperatorResponse<OperatorOperation>> {
  const parsed = OPERATOR_API[operation].request.safeParse(body);
  if (!parsed.success)
    throw new ValidationError(
      `Invalid ${operation} request: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ")}`,
    );
  switch (operation) {
    case "list": {
      const { query } = OPERATOR_API.list.request.parse(parsed.data);
      return listTickets(backend, query);
    }
    case "get":
      return { ticket: await backend.tickets.get(OPERATOR_API.get.request.parse(parsed.data).id) };
    case "resolveId":
      return { ids: await backend.tickets.resolveId(OPERATOR_API.resolveId.request.parse(parsed.data).given) };
    case "matchingIds": {
      const { query, limit } = OPERATOR_API.matchingIds.request.parse(parsed.data);
      return backend.tickets.matchingIds(query, limit);
    }
    case "update": {
      const { id, patch, reason, expectedVersion } = OPERATOR_API.update.request.parse(parsed.data);
      return { ticket: await changeTicket(backend, id, patch, { actor: caller, reason, expectedVersion }) };
    }
    case "counts":
      return backend.tickets.counts();
    case "modelUsage":
      return backend.insights.modelUsage();
    case "crewRouting":
      return backend.insights.crewRouting();
    case "groupingStatus":
      return backend.grouping.status();
    case "configuration":
      return backend.configuration.load();
  }
}

// Parsed once per container, at load: a malformed variable fails the function's init with its name.
const config = loadRuntimeConfig(process.env);
const tracing = startTracing(config.tracing, { service: "tickets-lambda" });
let backend: Promise<Backend> | undefined;

/** HTTP API route POST /tickets/{operation} (AWS_IAM): the database from the stack's secret, schema owned by the migration task. */
export const handler = traced(
  tracing,
  "operator.request",
  createTicketsLambda(async () => {
    backend ??= openBackend({ config });
    backend.catch(() => {
      backend = undefined;
    });
    return { backend: await backend, log: createLog(config.log.level) };
  }),
);
