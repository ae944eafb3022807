import { z } from "zod";
import type { IntegrationLink } from "../../../sdk/ports/integrations.js";
import {
  type IssueDraft,
  issueMarker,
  issueSummaryLines,
  type Tracker,
  TrackerError,
  type TrackerIssue,
} from "./tracker.js";
import { type TrackerHttp, trackerRequest } from "./tracker-http.js";
import { type GithubSettings, labelsFor } from "./tracker-settings.js";

/** The parts of GitHub's issue object read here (REST, `GET /repos/{owner}/{repo}/issues/{number}`). */
const GithubIssue = z.object({
  number: z.number().int(),
  html_url: z.string(),
  state: z.enum(["open", "closed"]),
  body: z.string().nullable().optional(),
  pull_request: z.unknown().optional(),
});

/** Issues made by a crashed attempt are looked for among this many issues updated since the ticket was made. */
const RECENT_ISSUES_PAGE = 100;

/** GitHub Issues over the REST API (a token with Issues read/write on the repository, sent as Bearer). */
export function githubTracker(options: {
  apiBase: string;
  token: string;
  settings: GithubSettings;
  http: TrackerHttp;
  /** Since when a crashed attempt's issue may exist (the ticket's creation). */
  since: Date;
}): Tracker {
  const { settings, http } = options;
  const repo = `${options.apiBase.replace(/\/+$/, "")}/repos/${settings.repository}`;
  const headers = {
    authorization: `Bearer ${options.token}`,
    accept: "application/vnd.github+json",
    "x-github-api-version": "2022-11-28",
    "user-agent": "feedback-triage",
  };
  const call = async (method: string, url: string, body?: unknown) =>
    trackerRequest(http, { method, url, headers, body });
  const issue = (answer: unknown): TrackerIssue => {
    const parsed = GithubIssue.safeParse(answer);
    if (!parsed.success) throw new TrackerError("GitHub answered with an unexpected issue shape", { permanent: true });
    return toIssue(parsed.data);
  };
  const fields = (draft: IssueDraft) => ({
    title: draft.ticket.title,
    labels: labelsFor(settings.labels, draft.ticket),
  });
  return {
    // The list, not the search API: search is indexed with a delay, so a just-made issue may not show there yet.
    async findCreated(draft) {
      const query = new URLSearchParams({
        state: "all",
        since: options.since.toISOString(),
        sort: "created",
        direction: "desc",
        per_page: String(RECENT_ISSUES_PAGE),
      });
      const listed = z.array(GithubIssue).safeParse(await call("GET", `${repo}/issues?${query}`));
      if (!listed.success) throw new TrackerError("GitHub answered with an unexpected issue list", { permanent: true });
      const marker = issueMarker(draft.ticket.ticketId);
      const found = listed.data.find((i) => !i.pull_request && i.body?.includes(marker));
      return found ? toIssue(found) : null;
    },
    async createIssue(draft) {
      const created = issue(
        await call("POST", `${repo}/issues`, { ...fields(draft), body: issueSummaryLines(draft.ticket).join("\n\n") }),
      );
      if (draft.state === "open") return created;
      return issue(await call("PATCH", `${repo}/issues/${created.externalId}`, stateFields(draft)));
    },
    async updateIssue(link, draft) {
      const state = draft.state === link.externalState ? {} : stateFields(draft);
      return issue(await call("PATCH", `${repo}/issues/${link.externalId}`, { ...fields(draft), ...state }));
    },
    async comment(link: IntegrationLink, text: string) {
      await call("POST", `${repo}/issues/${link.externalId}/comments`, { body: text });
    },
  };
}

const stateFields = (draft: IssueDraft) =>
  draft.state === "closed" ? { state: "closed", state_reason: draft.closedAs } : { state: "open" };

function toIssue(i: z.infer<typeof GithubIssue>): TrackerIssue {
  return { externalId: String(i.number), externalKey: `#${i.number}`, url: i.html_url, state: i.state };
}
