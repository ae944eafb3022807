/**
 * Canned Anthropic API responses behind an injected `fetch`: the Claude crew's tests never reach the
 * network. A CannedFetch answers each request with the next scripted handler and records what was sent.
 */
import { createHash } from "node:crypto";
import type { CompactItem } from "../../../../app/agents/claude/schemas.js";
import { triageOne } from "../../../../app/agents/offline/crew.js";
import { SEEDED_CONFIGURATION } from "../../../../app/agents/offline/dataset.js";
import type { TriageConfiguration } from "../../../../sdk/schemas/configuration.js";
import { FeedbackItem, type FeedbackItemInput } from "../../../../sdk/schemas/feedback.js";

export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface Usage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "request-id": "req_test", ...headers },
  });

/** A Messages API success whose text block is `text` (a JSON answer or anything else). */
export function messageResponse(text: string, options: { stopReason?: string; usage?: Usage } = {}): Response {
  return json(200, {
    id: `msg_${Math.random().toString(36).slice(2)}`,
    type: "message",
    role: "assistant",
    model: "claude-haiku-4-5",
    content: text ? [{ type: "text", text }] : [],
    stop_reason: options.stopReason ?? "end_turn",
    stop_sequence: null,
    usage: {
      input_tokens: 1200,
      output_tokens: 300,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
      ...options.usage,
    },
  });
}

export function errorResponse(status: number, headers: Record<string, string> = {}): Response {
  const type =
    status === 429
      ? "rate_limit_error"
      : status === 529
        ? "overloaded_error"
        : status >= 500
          ? "api_error"
          : "invalid_request_error";
  return json(status, { type: "error", error: { type, message: `canned ${status}` } }, headers);
}

export interface RecordedRequest {
  readonly url: string;
  readonly body: Record<string, unknown>;
}

export type Handler = (request: RecordedRequest, signal: AbortSignal | undefined) => Promise<Response> | Response;

/** Never answers; rejects when the request is aborted (as fetch does), so timeouts can be tested. */
export const hang: Handler = (_request, signal) =>
  new Promise<Response>((_resolve, reject) => {
    signal?.addEventListener(
      "abort",
      () => reject(Object.assign(new Error("The operation was aborted"), { name: "AbortError" })),
      { once: true },
    );
  });

export class CannedFetch {
  readonly requests: RecordedRequest[] = [];
  private readonly pending: Handler[] = [];

  constructor(private readonly fallback?: Handler) {}

  reply(...handlers: Handler[]): this {
    this.pending.push(...handlers);
    return this;
  }

  readonly fetch: FetchFn = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url;
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    const request = { url, body };
    this.requests.push(request);
    const handler = this.pending.shift() ?? this.fallback;
    if (!handler) throw new Error(`unexpected request to ${url}`);
    return handler(request, init?.signal ?? undefined);
  };
}

/** The ids of the items in a recorded request (from its user message). */
export function requestedIds(request: RecordedRequest): number[] {
  const messages = request.body.messages as { content: string }[];
  return [...messages[0]!.content.matchAll(/<item id="(\d+)"/g)].map((m) => Number(m[1]));
}

/** The item texts of a request, by id (unescaped). */
export function requestedTexts(request: RecordedRequest): Map<number, string> {
  const messages = request.body.messages as { content: string }[];
  const out = new Map<number, string>();
  for (const m of messages[0]!.content.matchAll(/<item id="(\d+)"[^>]*>\n([\s\S]*?)\n<\/item>/g)) {
    out.set(Number(m[1]), m[2]!.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"));
  }
  return out;
}

export function makeItem(input: Partial<FeedbackItemInput> & { text: string }): FeedbackItem {
  const contentHash = createHash("sha256")
    .update(`${input.subject ?? ""}\n${input.text}`)
    .digest("hex");
  return FeedbackItem.parse({
    sourceType: "app_store_review",
    sourceId: `sha256:${contentHash}`,
    contentHash,
    ...input,
  });
}

export function config(overrides: Partial<TriageConfiguration> = {}): TriageConfiguration {
  return { ...structuredClone(SEEDED_CONFIGURATION), ...overrides };
}

const CODES: Record<string, CompactItem["c"]> = {
  Bug: "B",
  "Feature Request": "F",
  Praise: "P",
  Complaint: "C",
  Spam: "S",
  Failed: "C",
};
const SEV: Record<string, CompactItem["s"]> = { critical: "c", high: "h", medium: "m", low: "l" };

/** An honest model: answers what the offline crew concludes, in the compact format. */
export function honestAnswer(item: FeedbackItem, id: number): CompactItem {
  const r = triageOne(item, config());
  const d = r.technicalDetails;
  return {
    i: id,
    c: CODES[r.category]!,
    f: Math.round(Math.max(r.confidence, 0.8) * 100),
    s: r.category === "Bug" ? (SEV[String(d.severity)] ?? "m") : null,
    w: r.category === "Feature Request" ? (r.priority === "Medium" ? "h" : "n") : null,
    t: r.title.replace(/^\[[A-Z]+\]\s*/, ""),
    a: (d.affectedFeature as string | null) ?? (d.requestedCapability as string | null) ?? null,
    u: (d.userImpact as string | null) ?? null,
    x: 0,
  };
}

/** A handler that answers every requested id with `answer(id, text)`. */
export function answering(answer: (id: number, text: string) => unknown, usage?: Usage): Handler {
  return (request) => {
    const texts = requestedTexts(request);
    const r = [...texts.entries()].map(([id, text]) => answer(id, text)).filter((x) => x !== undefined);
    return messageResponse(JSON.stringify({ r }), { usage });
  };
}
