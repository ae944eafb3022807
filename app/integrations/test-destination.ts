import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Backend } from "../../sdk/backend.js";
import { DESTINATION_KINDS, type IntegrationDestination } from "../../sdk/ports/integrations.js";
import type { PostResult } from "./deliver.js";
import { findDestination } from "./destination-admin.js";
import type { SecretResolver } from "./secrets.js";
import { signWebhook } from "./signature.js";
import { testMessage } from "./slack/slack-messages.js";
import { postSlack } from "./slack/slack-post.js";
import { graphqlError, trackerRead } from "./tracker-check.js";

/** How `integrations test` (and the dashboard's Test button) found a destination. */
export const DestinationTestResult = z.object({
  destination: z.string(),
  kind: z.enum(DESTINATION_KINDS),
  ok: z.boolean(),
  /** What was done: "POST ping", "GET /repos/…"… */
  action: z.string(),
  /** The HTTP status, when there was an answer. */
  status: z.number().int().nullable(),
  error: z.string().nullable(),
  /** What to do next when it failed. */
  hint: z.string().nullable(),
});
export type DestinationTestResult = z.infer<typeof DestinationTestResult>;

export interface TestDestinationOptions {
  secrets: SecretResolver;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => Date;
}

/** The body of a webhook test: a `ping` event, not a ticket event (receivers may ignore any type they do not know). */
export function pingBody(destination: string, now: Date): string {
  return JSON.stringify({ type: "ping", timestamp: now.toISOString(), data: { destination } });
}

/**
 * Checks a destination end to end, by name: a webhook gets a signed `ping`, Slack a test message, a tracker a
 * harmless read with its token (the repository, the viewer, the account). Nothing about tickets is sent.
 */
export async function testDestination(
  backend: Backend,
  name: string,
  options: TestDestinationOptions,
): Promise<DestinationTestResult> {
  const destination = await findDestination(backend, name);
  const action = actionOf(destination);
  let secret: string;
  try {
    secret = await options.secrets(destination.secretRef);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return failed(destination, action, null, message, `Set the secret where ${destination.secretRef} points.`);
  }
  const result = await probe(destination, secret, {
    fetch: options.fetch ?? fetch,
    timeoutMs: options.timeoutMs ?? 10_000,
    now: options.now ?? (() => new Date()),
  });
  if ("status" in result && result.status >= 200 && result.status < 300) {
    return {
      destination: name,
      kind: destination.kind,
      ok: true,
      action,
      status: result.status,
      error: null,
      hint: null,
    };
  }
  const status = "status" in result ? result.status : null;
  const error = "error" in result ? result.error : `HTTP ${status}`;
  return failed(destination, action, status, error, hintFor(destination, status));
}

function actionOf(destination: IntegrationDestination): string {
  switch (destination.kind) {
    case "webhook":
      return "POST a signed ping event";
    case "slack":
      return "post a test message";
    case "github":
      return "GET /repos/{owner}/{repo}";
    case "linear":
      return "query { viewer { id } }";
    case "jira":
      return "GET /rest/api/3/myself";
  }
}

type ProbeContext = { fetch: typeof fetch; timeoutMs: number; now: () => Date };

async function probe(destination: IntegrationDestination, secret: string, context: ProbeContext): Promise<PostResult> {
  if (destination.kind === "slack") return postSlack(secret, testMessage(destination.name), context);
  if (destination.kind === "webhook") {
    const now = context.now();
    const body = pingBody(destination.name, now);
    const headers = signWebhook(secret, `ping_${randomUUID()}`, now, body);
    return request(
      destination.url,
      { method: "POST", headers: { "content-type": "application/json", ...headers }, body },
      context,
    );
  }
  const read = trackerRead(destination, secret);
  if (!read) return { error: `cannot test ${destination.kind} destinations` };
  if ("error" in read) return read;
  return request(read.url, read.init, context, read.graphql);
}

async function request(url: string, init: RequestInit, context: ProbeContext, graphql = false): Promise<PostResult> {
  try {
    const response = await context.fetch(url, { ...init, signal: AbortSignal.timeout(context.timeoutMs) });
    const error = graphql && response.ok ? await graphqlError(response) : null;
    if (!graphql || !response.ok) await response.body?.cancel().catch(() => undefined);
    if (error) return { error };
    return { status: response.status, retryAfter: response.headers.get("retry-after") };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    if (timedOut) return { error: `timed out after ${context.timeoutMs} ms` };
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return { error: `could not connect${cause}` };
  }
}

function hintFor(destination: IntegrationDestination, status: number | null): string {
  const secret = `the secret at ${destination.secretRef}`;
  if (status === 401 || status === 403) return `The destination refused ${secret}: check it is current and allowed.`;
  if (destination.kind === "slack" && status !== null && status >= 400 && status < 500 && status !== 429) {
    return `Slack refused the incoming-webhook URL at ${destination.secretRef}: make a new one for the channel.`;
  }
  if (status === 404)
    return `Nothing at ${destination.url} for these settings: check the URL (and repository or project).`;
  if (status === 429) return "The destination is rate-limiting: try again later.";
  if (status === null) return `Check the destination's URL and settings (${destination.url}) and that it is reachable.`;
  return `The destination answered HTTP ${status}: check its URL and its logs.`;
}

function failed(
  destination: IntegrationDestination,
  action: string,
  status: number | null,
  error: string,
  hint: string,
): DestinationTestResult {
  return { destination: destination.name, kind: destination.kind, ok: false, action, status, error, hint };
}
