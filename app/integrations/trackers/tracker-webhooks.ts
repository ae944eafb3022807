import { createHmac } from "node:crypto";
import { z } from "zod";
import type { Backend } from "../../../sdk/backend.js";
import type { IntegrationDestination } from "../../../sdk/ports/integrations.js";
import type { TicketStatus } from "../../../sdk/schemas/ticket.js";
import { changeTicket } from "../../tickets/tickets-service.js";
import { equalDigests } from "../../webhooks/webhook-signatures.js";
import type { SecretResolver } from "../secrets.js";
import { jiraState } from "./jira.js";
import { LINEAR_CLOSED_STATE_TYPES } from "./linear.js";
import type { IssueState } from "./tracker.js";
import { isTrackerKind, parseTrackerSettings, type TrackerKind } from "./tracker-settings.js";

/** A tracker destination's `webhookSecretRef` (valid settings only); undefined for one without, or no tracker. */
function webhookSecretRefOf(destination: IntegrationDestination): string | undefined {
  if (!isTrackerKind(destination.kind)) return undefined;
  const settings = parseTrackerSettings(destination.kind, destination.settings);
  return settings.ok ? settings.settings.webhookSecretRef : undefined;
}

/** The tracker destinations whose webhooks can be verified (those with a `webhookSecretRef`), by name. */
export async function verifiableTrackerDestinations(backend: Backend): Promise<string[]> {
  return (await backend.integrations.destinations()).filter((d) => webhookSecretRefOf(d)).map((d) => d.name);
}

/** `/integrations/<destination>/events`, also behind a stage or base path. */
export function trackerEventsDestination(path: string): string | null {
  const match = /\/integrations\/([a-z0-9][a-z0-9_-]{0,62})\/events\/?$/.exec(path.split("?")[0] ?? "");
  return match?.[1] ?? null;
}

export interface TrackerWebhookRequest {
  destination: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface TrackerWebhookResponse {
  statusCode: number;
  body: Record<string, unknown>;
}

/** What a tracker's webhook says happened to one of its issues; null for events that change no issue's state. */
interface IssueChange {
  externalId: string;
  state: IssueState;
}

/** Signature header and its form per tracker: GitHub and Jira "sha256=<hex>", Linear the bare hex. */
const SIGNATURES: Record<TrackerKind, { header: string; prefix: string }> = {
  github: { header: "x-hub-signature-256", prefix: "sha256=" },
  linear: { header: "linear-signature", prefix: "" },
  jira: { header: "x-hub-signature", prefix: "sha256=" },
};

/** Linear's payloads carry the time they were sent; older than this they are taken as replays. */
const LINEAR_REPLAY_WINDOW_MS = 5 * 60_000;

/**
 * A tracker's signed webhook (two-way status sync): an issue closed in the tracker closes its ticket, a reopened one
 * reopens it, through the ticket's history as `integration:<destination>`. The signature is checked on the raw body
 * with the destination's `webhookSecretRef`; an echo of our own change (the link already has that state) is ignored.
 */
export async function handleTrackerWebhook(
  deps: { backend: Backend; secrets: SecretResolver; now?: () => Date },
  request: TrackerWebhookRequest,
): Promise<TrackerWebhookResponse> {
  const destination = (await deps.backend.integrations.destinations()).find((d) => d.name === request.destination);
  if (!destination || !isTrackerKind(destination.kind)) {
    return { statusCode: 404, body: { error: "not_found", message: `No tracker destination ${request.destination}` } };
  }
  const kind = destination.kind;
  const secretRef = webhookSecretRefOf(destination);
  if (!secretRef) {
    return { statusCode: 404, body: { error: "not_configured", message: "This destination has no webhookSecretRef" } };
  }
  const secret = await deps.secrets(secretRef).catch(() => null);
  if (secret === null)
    return { statusCode: 503, body: { error: "secret_unavailable", message: `No secret at ${secretRef}` } };
  if (!signedBy(kind, secret, request)) {
    return { statusCode: 401, body: { error: "bad_signature", message: `${SIGNATURES[kind].header} does not match` } };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(request.body.toString("utf8"));
  } catch {
    return { statusCode: 400, body: { error: "invalid_json", message: "The body is not JSON" } };
  }
  if (kind === "linear" && isStaleLinear(payload, deps.now?.() ?? new Date())) {
    return {
      statusCode: 401,
      body: { error: "stale_timestamp", message: "webhookTimestamp is more than 5 minutes off" },
    };
  }
  const change = issueChangeOf(kind, request.headers, payload);
  if (!change) return ignored("not an issue state change");
  return applyChange(deps.backend, destination, change);
}

function signedBy(kind: TrackerKind, secret: string, request: TrackerWebhookRequest): boolean {
  const { header, prefix } = SIGNATURES[kind];
  const given = request.headers[header]?.trim() ?? "";
  if (!given.startsWith(prefix) || !/^[0-9a-f]{64}$/i.test(given.slice(prefix.length))) return false;
  const expected = createHmac("sha256", secret).update(request.body).digest();
  return equalDigests(expected, Buffer.from(given.slice(prefix.length), "hex"));
}

function isStaleLinear(payload: unknown, now: Date): boolean {
  const sent = z.object({ webhookTimestamp: z.number() }).safeParse(payload);
  return sent.success && Math.abs(now.getTime() - sent.data.webhookTimestamp) > LINEAR_REPLAY_WINDOW_MS;
}

const GithubIssueEvent = z.object({
  action: z.string(),
  issue: z.object({ number: z.number().int(), state: z.enum(["open", "closed"]) }),
});
const LinearIssueEvent = z.object({
  type: z.literal("Issue"),
  action: z.literal("update"),
  data: z.object({ id: z.string(), state: z.object({ type: z.string() }) }),
});
const JiraIssueEvent = z.object({
  webhookEvent: z.literal("jira:issue_updated"),
  issue: z.object({
    id: z.string(),
    fields: z.object({ status: z.object({ statusCategory: z.object({ key: z.string() }) }) }),
  }),
});

/** The issue and its new state, from each tracker's own event shape. */
function issueChangeOf(
  kind: TrackerKind,
  headers: Record<string, string | undefined>,
  payload: unknown,
): IssueChange | null {
  if (kind === "github") {
    const event = GithubIssueEvent.safeParse(payload);
    if (headers["x-github-event"] !== "issues" || !event.success) return null;
    if (event.data.action !== "closed" && event.data.action !== "reopened") return null;
    return { externalId: String(event.data.issue.number), state: event.data.issue.state };
  }
  if (kind === "linear") {
    const event = LinearIssueEvent.safeParse(payload);
    if (!event.success) return null;
    const closed = LINEAR_CLOSED_STATE_TYPES.includes(event.data.data.state.type);
    return { externalId: event.data.data.id, state: closed ? "closed" : "open" };
  }
  const event = JiraIssueEvent.safeParse(payload);
  if (!event.success) return null;
  return { externalId: event.data.issue.id, state: jiraState(event.data.issue.fields.status.statusCategory.key) };
}

const ignored = (reason: string): TrackerWebhookResponse => ({ statusCode: 200, body: { result: "ignored", reason } });

/** Ticket statuses a reopened issue brings back to "open" (others are already open in some form). */
const DONE_STATUSES: readonly TicketStatus[] = ["closed", "rejected"];

async function applyChange(
  backend: Backend,
  destination: IntegrationDestination,
  change: IssueChange,
): Promise<TrackerWebhookResponse> {
  const link = await backend.integrations.linkByExternalId(destination.name, change.externalId);
  if (!link) return ignored("no ticket is linked to this issue");
  if (link.externalState === change.state) return ignored("the ticket already has this state (our own change)");
  const ticket = await backend.tickets.get(link.ticketId);
  if (!ticket) return ignored("the linked ticket no longer exists");
  await backend.integrations.saveLink({ ...link, externalState: change.state });
  const done = DONE_STATUSES.includes(ticket.status);
  const status: TicketStatus | null = change.state === "closed" ? (done ? null : "closed") : done ? "open" : null;
  if (!status) return ignored(`the ticket is already ${ticket.status}`);
  await changeTicket(
    backend,
    ticket.id,
    { status },
    {
      actor: `integration:${destination.name}`,
      reason: `${link.externalKey} ${change.state === "closed" ? "closed" : "reopened"} in ${destination.kind}`,
    },
  );
  return { statusCode: 200, body: { result: status === "closed" ? "closed" : "reopened", ticketId: ticket.id } };
}
