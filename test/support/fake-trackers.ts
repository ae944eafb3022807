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
export function githubApi(options: { repository: string; token: string; baseUrl: () => string }) {
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
