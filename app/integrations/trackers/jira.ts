import { z } from "zod";
import type { IntegrationLink } from "../../../sdk/ports/integrations.js";
import type { Category, Priority } from "../../../sdk/schemas/feedback.js";
import {
  type IssueDraft,
  type IssueState,
  issueSummaryLines,
  type Tracker,
  TrackerError,
  type TrackerIssue,
} from "./tracker.js";
import { type TrackerHttp, trackerRequest } from "./tracker-http.js";
import { type JiraSettings, labelsFor } from "./tracker-settings.js";

const Created = z.object({ id: z.string(), key: z.string() });
const Transitions = z.object({
  transitions: z.array(
    z.object({ id: z.string(), name: z.string(), to: z.object({ statusCategory: z.object({ key: z.string() }) }) }),
  ),
});
const Found = z.object({
  issues: z.array(
    z.object({
      id: z.string(),
      key: z.string(),
      fields: z
        .object({ status: z.object({ statusCategory: z.object({ key: z.string() }) }) })
        .partial()
        .optional(),
    }),
  ),
});

/** The label that finds a ticket's issue again (JQL matches labels exactly; the body's text search is fuzzy). */
export const jiraTicketLabel = (ticketId: string) => `feedback-triage-${ticketId}`;

/** A Jira status category as the link's state: "done" is closed, "new" and "indeterminate" are open. */
export const jiraState = (categoryKey: string | undefined): IssueState => (categoryKey === "done" ? "closed" : "open");

/** Jira Cloud over REST v3 (basic auth: the account's e-mail and an API token). */
export function jiraTracker(options: {
  site: string;
  token: string;
  settings: JiraSettings;
  http: TrackerHttp;
}): Tracker {
  const { settings, http } = options;
  const site = options.site.replace(/\/+$/, "");
  const api = `${site}/rest/api/3`;
  const headers = { authorization: `Basic ${Buffer.from(`${settings.email}:${options.token}`).toString("base64")}` };
  const call = (method: string, url: string, body?: unknown) => trackerRequest(http, { method, url, headers, body });
  const issue = (id: string, key: string, state: IssueState): TrackerIssue => ({
    externalId: id,
    externalKey: key,
    url: `${site}/browse/${key}`,
    state,
  });
  const fields = (draft: IssueDraft) => {
    const priority = settings.priorities[draft.ticket.priority as Priority];
    return {
      summary: draft.ticket.title,
      labels: [...labelsFor(settings.labels, draft.ticket), jiraTicketLabel(draft.ticket.ticketId)],
      ...(priority ? { priority: { name: priority } } : {}),
    };
  };
  async function transition(id: string, draft: IssueDraft): Promise<void> {
    const parsed = Transitions.safeParse(await call("GET", `${api}/issue/${id}/transitions`));
    if (!parsed.success) throw new TrackerError("Jira answered with unexpected transitions", { permanent: true });
    const named = draft.state === "closed" ? settings.transitions.close : settings.transitions.reopen;
    const category = draft.state === "closed" ? "done" : "new";
    const chosen = parsed.data.transitions.find((t) =>
      named ? t.name === named : t.to.statusCategory.key === category,
    );
    if (!chosen) {
      throw new TrackerError(
        `Jira issue ${id} has no transition ${named ? `named "${named}"` : `to a "${category}" status`}; set settings.transitions`,
        { permanent: true },
      );
    }
    await call("POST", `${api}/issue/${id}/transitions`, { transition: { id: chosen.id } });
  }
  return {
    async findCreated(draft) {
      const jql = `project = "${settings.project}" AND labels = "${jiraTicketLabel(draft.ticket.ticketId)}"`;
      const parsed = Found.safeParse(
        await call("POST", `${api}/search/jql`, { jql, fields: ["status"], maxResults: 1 }),
      );
      if (!parsed.success)
        throw new TrackerError("Jira answered with an unexpected search result", { permanent: true });
      const found = parsed.data.issues[0];
      return found ? issue(found.id, found.key, jiraState(found.fields?.status?.statusCategory.key)) : null;
    },
    async createIssue(draft) {
      const issueType = settings.issueTypes[draft.ticket.category as Category] ?? settings.defaultIssueType;
      const parsed = Created.safeParse(
        await call("POST", `${api}/issue`, {
          fields: {
            project: { key: settings.project },
            issuetype: { name: issueType },
            description: adf(issueSummaryLines(draft.ticket)),
            ...fields(draft),
          },
        }),
      );
      if (!parsed.success) throw new TrackerError("Jira answered with an unexpected issue", { permanent: true });
      if (draft.state === "closed") await transition(parsed.data.id, draft);
      return issue(parsed.data.id, parsed.data.key, draft.state);
    },
    async updateIssue(link: IntegrationLink, draft) {
      await call("PUT", `${api}/issue/${link.externalId}`, { fields: fields(draft) });
      if (draft.state !== link.externalState) await transition(link.externalId, draft);
      return issue(link.externalId, link.externalKey, draft.state);
    },
    async comment(link, text) {
      await call("POST", `${api}/issue/${link.externalId}/comment`, { body: adf([text]) });
    },
  };
}

/** Paragraphs in the Atlassian Document Format, which v3 requires for descriptions and comments. */
export function adf(paragraphs: readonly string[]) {
  return {
    type: "doc",
    version: 1,
    content: paragraphs.map((text) => ({ type: "paragraph", content: [{ type: "text", text }] })),
  };
}
