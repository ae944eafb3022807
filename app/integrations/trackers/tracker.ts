import type { IntegrationLink } from "../../../sdk/ports/integrations.js";
import type { TicketEventData } from "../../../sdk/schemas/integrations.js";

/** The two states every tracker's issues come down to, as the link records them. */
export type IssueState = "open" | "closed";

/** A tracker's issue as the link keeps it: its id, the key people read, where it is, its state. */
export interface TrackerIssue {
  externalId: string;
  externalKey: string;
  url: string;
  state: IssueState;
}

/** What an issue should say about its ticket (the triage facts, never the feedback's own text). */
export interface IssueDraft {
  ticket: TicketEventData;
  /** Closed when the ticket is closed, rejected or merged into another. */
  state: IssueState;
  /** Why it is closed: the ticket was done with, or it was not taken up (rejected, merged). */
  closedAs: "completed" | "not_planned";
}

/**
 * One issue tracker behind the same four verbs. Each call throws a TrackerError when the tracker refuses or cannot
 * be reached; `findCreated` looks for an issue a crashed earlier attempt may have made for the ticket.
 */
export interface Tracker {
  findCreated(draft: IssueDraft): Promise<TrackerIssue | null>;
  createIssue(draft: IssueDraft): Promise<TrackerIssue>;
  /** Title, labels/priority, and the state when `draft.state` differs from the link's. */
  updateIssue(link: IntegrationLink, draft: IssueDraft): Promise<TrackerIssue>;
  comment(link: IntegrationLink, text: string): Promise<void>;
}

/**
 * A tracker's refusal or silence. `status`/`retryAfter` come from its HTTP answer, so 429 and 5xx are retried as
 * webhooks are; `permanent` marks what retrying cannot fix (bad settings, an answer of an unexpected shape).
 */
export class TrackerError extends Error {
  constructor(
    message: string,
    readonly details: { status?: number; retryAfter?: string | null; permanent?: boolean; body?: unknown } = {},
  ) {
    super(message);
    this.name = "TrackerError";
  }
}

/** The marker every issue body carries, so an issue made for a ticket can be found again. */
export const issueMarker = (ticketId: string) => `feedback-triage:${ticketId}`;

/** The issue's body: the ticket's triage facts and the marker, in Markdown (Jira converts it). */
export function issueSummaryLines(ticket: TicketEventData): string[] {
  return [
    `Category: ${ticket.category} · Priority: ${ticket.priority} · Reach: ${ticket.reach}`,
    ...(ticket.app ? [`App: ${ticket.app}`] : []),
    `Source: ${ticket.sourceType} · Ticket status: ${ticket.status}`,
    `Ticket: ${ticket.ticketId} (${issueMarker(ticket.ticketId)})`,
  ];
}
