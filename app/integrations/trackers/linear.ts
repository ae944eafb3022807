import { createHash } from "node:crypto";
import { z } from "zod";
import type { Priority } from "../../../sdk/schemas/feedback.js";
import { type IssueDraft, issueSummaryLines, type Tracker, TrackerError, type TrackerIssue } from "./tracker.js";
import { type TrackerHttp, trackerRequest } from "./tracker-http.js";
import { type LinearSettings, labelsFor } from "./tracker-settings.js";

const ISSUE_FIELDS = "id identifier url state { type }";

const LinearIssue = z.object({
  id: z.string(),
  identifier: z.string(),
  url: z.string(),
  state: z.object({ type: z.string() }).nullable().optional(),
});

/** Linear's workflow state types that mean the work is over. */
export const LINEAR_CLOSED_STATE_TYPES = ["completed", "canceled"];

/**
 * The id a ticket's issue gets in a destination: the same on every attempt, so a create retried after a crash is
 * refused by Linear (or found by `findCreated`) instead of making a second issue. A UUID v4 in form, from a hash.
 */
export function linearIssueId(destination: string, ticketId: string): string {
  const hex = createHash("sha256").update(`${destination}\n${ticketId}`).digest("hex").slice(0, 32).split("");
  hex[12] = "4";
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Linear over its GraphQL API (a personal API key, sent as the Authorization header as is). */
export function linearTracker(options: {
  apiUrl: string;
  apiKey: string;
  destination: string;
  settings: LinearSettings;
  http: TrackerHttp;
}): Tracker {
  const { settings, http } = options;
  const graphql = async (query: string, variables: Record<string, unknown>) => {
    const answer = (await trackerRequest(http, {
      method: "POST",
      url: options.apiUrl,
      headers: { authorization: options.apiKey },
      body: { query, variables },
    }).catch(rateLimitAsRetryable)) as GraphqlAnswer | null;
    if (answer?.errors?.length) throw graphqlError(answer.errors);
    return answer?.data ?? {};
  };
  const issueOf = (payload: unknown): TrackerIssue => {
    const parsed = z.object({ success: z.boolean(), issue: LinearIssue.nullable() }).safeParse(payload);
    if (!parsed.success || !parsed.data.success || !parsed.data.issue)
      throw new TrackerError("Linear did not return the issue", { permanent: true });
    return toIssue(parsed.data.issue);
  };
  const fields = (draft: IssueDraft) => ({
    title: draft.ticket.title,
    priority: settings.priorities[draft.ticket.priority as Priority] ?? 0,
    labelIds: labelsFor(settings.labels, draft.ticket),
  });
  const stateId = (draft: IssueDraft) =>
    !settings.states
      ? undefined
      : draft.state === "open"
        ? settings.states.open
        : draft.closedAs === "not_planned"
          ? (settings.states.canceled ?? settings.states.done)
          : settings.states.done;
  const id = (draft: IssueDraft) => linearIssueId(options.destination, draft.ticket.ticketId);
  return {
    async findCreated(draft) {
      const data = await graphql(`query Issue($id: String!) { issue(id: $id) { ${ISSUE_FIELDS} } }`, {
        id: id(draft),
      }).catch((error: unknown) => {
        if (error instanceof TrackerError && /not found/i.test(error.message)) return { issue: null };
        throw error;
      });
      const found = LinearIssue.nullable().safeParse(data.issue ?? null);
      return found.success && found.data ? toIssue(found.data) : null;
    },
    async createIssue(draft) {
      const input = {
        id: id(draft),
        teamId: settings.teamId,
        description: issueSummaryLines(draft.ticket).join("\n\n"),
        ...fields(draft),
        ...(draft.state === "closed" && stateId(draft) ? { stateId: stateId(draft) } : {}),
      };
      const data = await graphql(
        `mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { ${ISSUE_FIELDS} } } }`,
        { input },
      );
      return issueOf(data.issueCreate);
    },
    async updateIssue(link, draft) {
      const state = draft.state !== link.externalState ? stateId(draft) : undefined;
      const data = await graphql(
        `mutation IssueUpdate($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success issue { ${ISSUE_FIELDS} } } }`,
        { id: link.externalId, input: { ...fields(draft), ...(state ? { stateId: state } : {}) } },
      );
      return issueOf(data.issueUpdate);
    },
    async comment(link, text) {
      await graphql(
        "mutation CommentCreate($input: CommentCreateInput!) { commentCreate(input: $input) { success } }",
        { input: { issueId: link.externalId, body: text } },
      );
    },
  };
}

type GraphqlError = { message?: string; extensions?: { code?: string } };
type GraphqlAnswer = { data?: Record<string, unknown>; errors?: GraphqlError[] };

/** Linear refuses a rate-limited request with HTTP 400 and a RATELIMITED error: retried like a 429. */
function rateLimitAsRetryable(error: unknown): never {
  const body = error instanceof TrackerError ? (error.details.body as GraphqlAnswer | null) : null;
  if (body?.errors?.some((e) => e.extensions?.code === "RATELIMITED")) throw graphqlError(body.errors);
  throw error;
}

/** Linear answers rate limits and bad input as GraphQL errors; the code says which (RATELIMITED is retried). */
function graphqlError(errors: GraphqlError[]): TrackerError {
  const message = errors.map((e) => e.message ?? "error").join("; ");
  const codes = errors.map((e) => e.extensions?.code);
  if (codes.includes("RATELIMITED")) return new TrackerError(`Linear: ${message}`, { status: 429, retryAfter: null });
  const permanent = codes.some((c) => c === "AUTHENTICATION_ERROR" || c === "FORBIDDEN" || c === "INVALID_INPUT");
  return new TrackerError(`Linear: ${message}`, { permanent });
}

function toIssue(i: z.infer<typeof LinearIssue>): TrackerIssue {
  const closed = LINEAR_CLOSED_STATE_TYPES.includes(i.state?.type ?? "");
  return { externalId: i.id, externalKey: i.identifier, url: i.url, state: closed ? "closed" : "open" };
}
