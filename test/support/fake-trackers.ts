import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the fake tracker received it: method, path with query, headers, JSON body (null when none). */
export interface TrackerRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: a recorded JSON body, asserted field by field
  body: any;
}

export interface TrackerReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A fault answering one request instead of the API: a status (e.g. 429 with Retry-After), or no answer at all. */
export type TrackerFault = TrackerReply | "hang";

/**
 * A tracker API on 127.0.0.1 that records every request and answers it with `api` (the tracker's documented
 * behaviour, over in-memory issues), unless a scripted fault is due: each request takes the next fault first.
 */
export class FakeTracker {
  readonly requests: TrackerRequest[] = [];
  private readonly faults: TrackerFault[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(api: (request: TrackerRequest) => TrackerReply): Promise<FakeTracker> {
    let tracker: FakeTracker | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const request = {
          method: req.method ?? "GET",
          path: req.url ?? "/",
          headers: req.headers,
          body: text ? JSON.parse(text) : null,
        };
        tracker!.requests.push(request);
        const reply = tracker!.faults.shift() ?? api(request);
        if (reply === "hang") return;
        const body = reply.body === undefined ? "" : JSON.stringify(reply.body);
        res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers }).end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    tracker = new FakeTracker(server, `http://127.0.0.1:${port}`);
    return tracker;
  }

  /** The next requests are answered with these, in order, before the API answers again. */
  fail(...faults: TrackerFault[]): void {
    this.faults.push(...faults);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A fetch whose process dies once the request is sent: the tracker acts on it, the answer is never read. */
export const fetchThatDies: typeof fetch = async (url, init) => {
  await fetch(url, init);
  return new Promise<Response>(() => {});
};

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: "open" | "closed";
  state_reason: string | null;
  comments: string[];
}

/**
 * GitHub's Issues REST API for one repository, as documented: POST/PATCH/GET issues (201/200, 404 for an unknown
 * issue or repository, 401 without the token) and POST comments.
 */
export function githubApi(options: { repository: string; token: string }) {
  const issues = new Map<number, FakeIssue>();
  const view = (i: FakeIssue) => ({
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    state_reason: i.state_reason,
    labels: i.labels.map((name) => ({ name })),
    html_url: `https://github.com/${options.repository}/issues/${i.number}`,
  });
  const api = (request: TrackerRequest): TrackerReply => {
    if (request.headers.authorization !== `Bearer ${options.token}`) {
      return { status: 401, body: { message: "Bad credentials" } };
    }
    const prefix = `/repos/${options.repository}/issues`;
    const path = request.path.split("?")[0]!;
    if (!path.startsWith(prefix)) return { status: 404, body: { message: "Not Found" } };
    const [, number, sub] = /^\/?(\d+)?\/?(comments)?$/.exec(path.slice(prefix.length)) ?? [];
    if (request.method === "POST" && !number) {
      const issue: FakeIssue = {
        number: issues.size + 1,
        title: request.body.title,
        body: request.body.body ?? "",
        labels: request.body.labels ?? [],
        state: "open",
        state_reason: null,
        comments: [],
      };
      issues.set(issue.number, issue);
      return { status: 201, body: view(issue) };
    }
    if (request.method === "GET" && !number) {
      return { status: 200, body: [...issues.values()].reverse().map(view) };
    }
    const issue = issues.get(Number(number));
    if (!issue) return { status: 404, body: { message: "Not Found" } };
    if (request.method === "POST" && sub) {
      issue.comments.push(request.body.body);
      return { status: 201, body: { id: issue.comments.length, body: request.body.body } };
    }
    if (request.method === "PATCH") {
      Object.assign(issue, {
        title: request.body.title ?? issue.title,
        labels: request.body.labels ?? issue.labels,
        state: request.body.state ?? issue.state,
        state_reason: request.body.state_reason ?? issue.state_reason,
      });
      return { status: 200, body: view(issue) };
    }
    return { status: 404, body: { message: "Not Found" } };
  };
  return { api, issues };
}

export interface FakeLinearIssue {
  id: string;
  identifier: string;
  title: string;
  description: string;
  priority: number;
  labelIds: string[];
  stateId: string | null;
  comments: string[];
}

/**
 * Linear's GraphQL API for the operations the adapter uses (issueCreate, issueUpdate, issue, commentCreate), as
 * documented: the API key as the Authorization header, errors in the `errors` array with an extensions code
 * (a duplicate id is refused as INVALID_INPUT), a missing issue as "Entity not found".
 */
export function linearApi(options: { apiKey: string; doneStateId?: string }) {
  const issues = new Map<string, FakeLinearIssue>();
  const view = (i: FakeLinearIssue) => ({
    id: i.id,
    identifier: i.identifier,
    url: `https://linear.app/acme/issue/${i.identifier}`,
    state: { type: i.stateId && i.stateId === options.doneStateId ? "completed" : "unstarted" },
  });
  const error = (message: string, code: string) => ({
    status: 200,
    body: { errors: [{ message, extensions: { code } }] },
  });
  const api = (request: TrackerRequest): TrackerReply => {
    if (request.headers.authorization !== options.apiKey) {
      return {
        status: 401,
        body: { errors: [{ message: "Authentication required", extensions: { code: "AUTHENTICATION_ERROR" } }] },
      };
    }
    // biome-ignore lint/suspicious/noExplicitAny: the GraphQL variables as the client sent them
    const { query, variables } = request.body as { query: string; variables: Record<string, any> };
    if (query.includes("issueCreate(")) {
      const input = variables.input;
      if (issues.has(input.id)) return error("Entity already exists", "INVALID_INPUT");
      const issue: FakeLinearIssue = {
        id: input.id,
        identifier: `ENG-${issues.size + 1}`,
        title: input.title,
        description: input.description,
        priority: input.priority,
        labelIds: input.labelIds ?? [],
        stateId: input.stateId ?? null,
        comments: [],
      };
      issues.set(issue.id, issue);
      return { status: 200, body: { data: { issueCreate: { success: true, issue: view(issue) } } } };
    }
    const issue = issues.get(variables.id ?? variables.input?.issueId);
    if (!issue) return error("Entity not found", "INVALID_INPUT");
    if (query.includes("issueUpdate(")) {
      Object.assign(issue, variables.input);
      return { status: 200, body: { data: { issueUpdate: { success: true, issue: view(issue) } } } };
    }
    if (query.includes("commentCreate(")) {
      issue.comments.push(variables.input.body);
      return { status: 200, body: { data: { commentCreate: { success: true } } } };
    }
    return { status: 200, body: { data: { issue: view(issue) } } };
  };
  return { api, issues };
}

export interface FakeJiraIssue {
  id: string;
  key: string;
  // biome-ignore lint/suspicious/noExplicitAny: the fields as the client sent them
  fields: Record<string, any>;
  status: "new" | "done";
  comments: unknown[];
}

/**
 * Jira Cloud's REST v3 for the calls the adapter makes: create (201 id/key), edit (204), transitions (GET the list,
 * POST one: 204), comments (201) and JQL search on labels; basic auth email:token, 404 for an unknown issue.
 */
export function jiraApi(options: { email: string; token: string }) {
  const issues = new Map<string, FakeJiraIssue>();
  const transitions = [
    { id: "11", name: "To Do", to: { statusCategory: { key: "new" } } },
    { id: "31", name: "Done", to: { statusCategory: { key: "done" } } },
  ];
  const api = (request: TrackerRequest): TrackerReply => {
    const expected = `Basic ${Buffer.from(`${options.email}:${options.token}`).toString("base64")}`;
    if (request.headers.authorization !== expected) return { status: 401, body: { errorMessages: ["Unauthorized"] } };
    const path = request.path.split("?")[0]!;
    if (request.method === "POST" && path === "/rest/api/3/issue") {
      const id = String(10000 + issues.size + 1);
      const issue = {
        id,
        key: `${request.body.fields.project.key}-${issues.size + 1}`,
        fields: request.body.fields,
        status: "new" as const,
        comments: [],
      };
      issues.set(id, issue);
      return { status: 201, body: { id, key: issue.key, self: `http://jira/rest/api/3/issue/${id}` } };
    }
    if (request.method === "POST" && path === "/rest/api/3/search/jql") {
      const label = /labels = "([^"]+)"/.exec(request.body.jql)?.[1];
      const found = [...issues.values()].filter((i) => (i.fields.labels as string[]).includes(label ?? ""));
      const body = found.map((i) => ({
        id: i.id,
        key: i.key,
        fields: { status: { statusCategory: { key: i.status } } },
      }));
      return { status: 200, body: { issues: body, isLast: true } };
    }
    const [, id, sub] = /^\/rest\/api\/3\/issue\/([^/]+)\/?(transitions|comment)?$/.exec(path) ?? [];
    const issue = id ? issues.get(id) : undefined;
    if (!issue)
      return {
        status: 404,
        body: { errorMessages: ["Issue does not exist or you do not have permission to see it."] },
      };
    if (request.method === "PUT" && !sub) {
      Object.assign(issue.fields, request.body.fields);
      return { status: 204 };
    }
    if (sub === "transitions" && request.method === "GET") return { status: 200, body: { transitions } };
    if (sub === "transitions") {
      const chosen = transitions.find((t) => t.id === request.body.transition.id);
      if (!chosen) return { status: 400, body: { errorMessages: ["Transition id is not valid"] } };
      issue.status = chosen.to.statusCategory.key as "new" | "done";
      return { status: 204 };
    }
    issue.comments.push(request.body.body);
    return { status: 201, body: { id: String(issue.comments.length) } };
  };
  return { api, issues };
}
