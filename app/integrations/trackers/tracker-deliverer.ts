import type { ClaimedDelivery, IntegrationDestination, IntegrationLink } from "../../../sdk/ports/integrations.js";
import { TicketEventData } from "../../../sdk/schemas/integrations.js";
import type { Deliverer, DeliveryContext, PostResult } from "../deliver.js";
import { githubTracker } from "./github.js";
import { jiraTracker } from "./jira.js";
import { linearTracker } from "./linear.js";
import { type IssueDraft, type Tracker, TrackerError, type TrackerIssue } from "./tracker.js";
import {
  DEFAULT_TRACKER_URLS,
  type GithubSettings,
  type JiraSettings,
  type LinearSettings,
  matchesRules,
  parseTrackerSettings,
  type TrackerKind,
  type TrackerSettings,
} from "./tracker-settings.js";

/** Ticket statuses an issue is closed for; "rejected" means the ticket was not taken up. */
const CLOSED_STATUSES = new Set(["closed", "rejected"]);

/** The adapter of a kind over a destination's settings and secret. */
export function trackerFor(
  kind: TrackerKind,
  destination: IntegrationDestination,
  settings: TrackerSettings,
  context: DeliveryContext,
  since: Date,
): Tracker {
  const url = destination.url || DEFAULT_TRACKER_URLS[kind] || "";
  if (kind === "github")
    return githubTracker({
      apiBase: url,
      token: context.secret,
      settings: settings as GithubSettings,
      http: context,
      since,
    });
  if (kind === "linear") {
    const linear = settings as LinearSettings;
    return linearTracker({
      apiUrl: url,
      apiKey: context.secret,
      destination: destination.name,
      settings: linear,
      http: context,
    });
  }
  return jiraTracker({ site: url, token: context.secret, settings: settings as JiraSettings, http: context });
}

/** What the issue should look like for the ticket as the event saw it. */
export function draftOf(ticket: TicketEventData, type: ClaimedDelivery["type"]): IssueDraft {
  const merged = type === "ticket.merged" || ticket.mergedInto !== null;
  const closed = merged || CLOSED_STATUSES.has(ticket.status);
  return {
    ticket,
    state: closed ? "closed" : "open",
    closedAs: merged || ticket.status === "rejected" ? "not_planned" : "completed",
  };
}

/**
 * Delivers ticket events to an issue tracker: an issue is made for a ticket matching the destination's rules (once:
 * a retry first looks for the issue a crashed attempt made), kept up to date while linked (title, labels, priority,
 * closed with the ticket), and closed with a comment when the ticket is merged into another.
 */
export function trackerDeliverer(kind: TrackerKind): Deliverer {
  return async (delivery, destination, context) => {
    const settings = parseTrackerSettings(kind, destination.settings);
    if (!settings.ok) return { error: settings.message, permanent: true };
    const ticket = TicketEventData.safeParse(delivery.data);
    if (!ticket.success) return { error: "the event does not describe a ticket", permanent: true };
    // An issue for the ticket cannot be older than the ticket: that bounds the search for one a crash left unlinked.
    const tracker = trackerFor(kind, destination, settings.settings, context, new Date(ticket.data.createdAt));
    try {
      // One event of a ticket at a time per destination: the outbox's claim orders them (across workers too).
      return await deliverToTracker(tracker, delivery, destination, settings.settings, ticket.data, context);
    } catch (error) {
      if (!(error instanceof TrackerError)) throw error;
      const { status, retryAfter, permanent } = error.details;
      return status === undefined ? { error: error.message, permanent } : { status, retryAfter: retryAfter ?? null };
    }
  };
}

async function deliverToTracker(
  tracker: Tracker,
  delivery: ClaimedDelivery,
  destination: IntegrationDestination,
  settings: TrackerSettings,
  ticket: TicketEventData,
  context: DeliveryContext,
): Promise<PostResult> {
  const { outbox } = context;
  const link = await outbox.linkOf(destination.name, ticket.ticketId);
  const draft = draftOf(ticket, delivery.type);
  const save = (issue: TrackerIssue) =>
    outbox.saveLink({ destination: destination.name, ticketId: ticket.ticketId, ...issue, externalState: issue.state });
  if (link) {
    // A ticket's first event arriving after a later one that already made its issue: nothing newer to say.
    if (delivery.type === "ticket.created") return done(204);
    if (delivery.type === "ticket.merged" && link.externalState !== "closed") {
      await tracker.comment(link, await mergedComment(ticket, destination.name, context));
    }
    await save(await tracker.updateIssue(link, draft));
    return done(200);
  }
  if (draft.state === "closed" || !matchesRules(settings.rules, ticket)) return done(204);
  // A retry, or a later event of the ticket, may follow an attempt that made the issue and died before linking it.
  const mayExist = delivery.attempts > 1 || delivery.type !== "ticket.created";
  const earlier = mayExist ? await tracker.findCreated(draft) : null;
  if (!earlier) {
    await save(await tracker.createIssue(draft));
    return done(201);
  }
  // Found: made from this very event (a retry), or from an older one whose changes this event brings up to date.
  const found: IntegrationLink = {
    destination: destination.name,
    ticketId: ticket.ticketId,
    ...earlier,
    externalState: earlier.state,
  };
  await save(delivery.type === "ticket.created" ? earlier : await tracker.updateIssue(found, draft));
  return done(200);
}

async function mergedComment(ticket: TicketEventData, destination: string, context: DeliveryContext) {
  const into = ticket.mergedInto;
  if (!into) return "Closed: its feedback-triage ticket was merged into another.";
  const target: IntegrationLink | null = await context.outbox.linkOf(destination, into);
  return `Closed as a duplicate: feedback-triage ticket ${ticket.ticketId} was merged into ticket ${into}${target ? ` (${target.externalKey}, ${target.url})` : ""}.`;
}

const done = (status: number): PostResult => ({ status, retryAfter: null });

/** The deliverers of every tracker kind, for the worker's delivery loop. */
export const trackerDeliverers = (): Record<TrackerKind, Deliverer> => ({
  github: trackerDeliverer("github"),
  linear: trackerDeliverer("linear"),
  jira: trackerDeliverer("jira"),
});
