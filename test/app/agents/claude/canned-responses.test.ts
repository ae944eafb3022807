import { describe, expect, it } from "vitest";
import { AnthropicModelClient } from "../../../../app/agents/claude/anthropic-client.js";
import { ClaudeCrewError, createClaudeAgents } from "../../../../app/agents/claude/crew.js";
import { ModelCallError, type ModelRequest } from "../../../../app/agents/claude/model-port.js";
import { ANSWER_JSON_SCHEMA } from "../../../../app/agents/claude/schemas.js";
import { TriageResult } from "../../../../sdk/ports/agents.js";
import {
  answering,
  CannedFetch,
  config,
  errorResponse,
  hang,
  honestAnswer,
  makeItem,
  messageResponse,
  requestedIds,
} from "./canned.js";

const REQUEST: ModelRequest = {
  model: "claude-haiku-4-5",
  system: "system",
  user: "user",
  maxTokens: 500,
  outputSchema: ANSWER_JSON_SCHEMA,
  cachePrefix: false,
};

async function failureOf(promise: Promise<unknown>): Promise<ModelCallError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ModelCallError);
    return error as ModelCallError;
  }
  throw new Error("expected a failure");
}

describe("AnthropicModelClient with canned API responses", () => {
  it("sends a structured-output request and returns the parsed JSON with its usage", async () => {
    const canned = new CannedFetch().reply(() =>
      messageResponse('{"r":[]}', {
        usage: { input_tokens: 900, output_tokens: 12, cache_read_input_tokens: 5, cache_creation_input_tokens: 7 },
      }),
    );
    const client = new AnthropicModelClient({ apiKey: "sk-test", fetch: canned.fetch });
    const response = await client.complete(REQUEST);
    expect(response.json).toEqual({ r: [] });
    expect(response.usage).toEqual({ inputTokens: 900, outputTokens: 12, cacheReadTokens: 5, cacheWriteTokens: 7 });
    const [sent] = canned.requests;
    expect(sent!.url).toBe("https://api.anthropic.com/v1/messages");
    expect(sent!.body).toMatchObject({
      model: "claude-haiku-4-5",
      max_tokens: 500,
      system: [{ type: "text", text: "system" }],
      messages: [{ role: "user", content: "user" }],
      output_config: { format: { type: "json_schema", schema: ANSWER_JSON_SCHEMA } },
    });
    expect(sent!.body).not.toHaveProperty("tools");
    expect((sent!.body.system as { cache_control?: unknown }[])[0]).not.toHaveProperty("cache_control");
  });

  it("marks the system prompt for caching only when asked", async () => {
    const canned = new CannedFetch().reply(() => messageResponse('{"r":[]}'));
    await new AnthropicModelClient({ apiKey: "k", fetch: canned.fetch }).complete({ ...REQUEST, cachePrefix: true });
    expect((canned.requests[0]!.body.system as { cache_control?: unknown }[])[0]!.cache_control).toEqual({
      type: "ephemeral",
    });
  });

  it("reports malformed JSON, a refusal and a cut-off answer as retryable failures, with their usage", async () => {
    const canned = new CannedFetch().reply(
      () => messageResponse('{"r": [ {"i": 1, "c": "B"'),
      () => messageResponse("", { stopReason: "refusal", usage: { output_tokens: 3 } }),
      () => messageResponse('{"r": [', { stopReason: "max_tokens" }),
    );
    const client = new AnthropicModelClient({ apiKey: "k", fetch: canned.fetch });
    const malformed = await failureOf(client.complete(REQUEST));
    expect([malformed.kind, malformed.retryable, malformed.usage.inputTokens]).toEqual(["malformed", true, 1200]);
    const refusal = await failureOf(client.complete(REQUEST));
    expect([refusal.kind, refusal.retryable, refusal.usage.outputTokens]).toEqual(["refusal", true, 3]);
    const truncated = await failureOf(client.complete(REQUEST));
    expect([truncated.kind, truncated.retryable]).toEqual(["truncated", true]);
  });

  it("translates 429 with retry-after, 529, 500 and 400", async () => {
    const canned = new CannedFetch().reply(
      () => errorResponse(429, { "retry-after": "7" }),
      () => errorResponse(529),
      () => errorResponse(500, { "retry-after-ms": "250" }),
      () => errorResponse(400),
    );
    const client = new AnthropicModelClient({ apiKey: "k", fetch: canned.fetch });
    const limited = await failureOf(client.complete(REQUEST));
    expect([limited.kind, limited.status, limited.retryAfterMs, limited.retryable]).toEqual([
      "rate_limited",
      429,
      7000,
      true,
    ]);
    const overloaded = await failureOf(client.complete(REQUEST));
    expect([overloaded.kind, overloaded.status, overloaded.retryable]).toEqual(["overloaded", 529, true]);
    const server = await failureOf(client.complete(REQUEST));
    expect([server.kind, server.retryAfterMs]).toEqual(["server", 250]);
    const bad = await failureOf(client.complete(REQUEST));
    expect([bad.kind, bad.retryable]).toEqual(["client", false]);
    expect(canned.requests).toHaveLength(4); // the SDK's own retries are off
  });

  it("times out a request that never answers", async () => {
    const canned = new CannedFetch().reply(hang);
    const client = new AnthropicModelClient({ apiKey: "k", fetch: canned.fetch, timeoutMs: 50 });
    const timeout = await failureOf(client.complete(REQUEST));
    expect([timeout.kind, timeout.retryable]).toEqual(["timeout", true]);
  });
});

describe("Claude crew over canned API responses: retries", () => {
  const items = [
    makeItem({ text: "App crashes every time I open my profile page. iPhone 14, iOS 17.2, version 3.2.1.", rating: 1 }),
    makeItem({ text: "Please add dark mode, the white screen hurts at night.", rating: 3 }),
    makeItem({ text: "Absolutely love this app, best planner I have used!", rating: 5 }),
  ];
  const honest = answering((id) => honestAnswer(items[id - 1]!, id));

  function crew(canned: CannedFetch, sleeps: number[] = [], timeoutMs = 5_000) {
    return createClaudeAgents({
      client: new AnthropicModelClient({ apiKey: "k", fetch: canned.fetch }),
      retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, timeoutMs },
    });
  }

  it("succeeds with one request for several items and records tokens and cost per item", async () => {
    const canned = new CannedFetch().reply(
      answering((id) => honestAnswer(items[id - 1]!, id), { input_tokens: 1500, output_tokens: 150 }),
    );
    const results = await crew(canned).triage(items, config());
    expect(canned.requests).toHaveLength(1);
    expect(requestedIds(canned.requests[0]!)).toEqual([1, 2, 3]);
    expect(results.map((r) => r.category)).toEqual(["Bug", "Feature Request", "Praise"]);
    for (const r of results) expect(() => TriageResult.parse(r)).not.toThrow();
    const logs = results.map((r) => r.logs.find((l) => l.agent === "claude")!);
    expect(logs.reduce((s, l) => s + l.tokensIn!, 0)).toBe(1500);
    expect(logs.reduce((s, l) => s + l.tokensOut!, 0)).toBe(150);
    const cost = logs.reduce((s, l) => s + (l.result.costUsd as number), 0);
    expect(cost).toBeCloseTo((1500 * 1 + 150 * 5) / 1e6, 9);
  });

  it("retries a 429 after the server's retry-after, then succeeds (2 attempts)", async () => {
    const sleeps: number[] = [];
    const canned = new CannedFetch().reply(() => errorResponse(429, { "retry-after": "3" }), honest);
    const results = await crew(canned, sleeps).triage(items, config());
    expect(canned.requests).toHaveLength(2);
    expect(sleeps).toEqual([3000]);
    expect(results.every((r) => r.logs.find((l) => l.agent === "claude")!.result.attempts === 2)).toBe(true);
  });

  it("retries 529 with backoff and gives up after 3 attempts, throwing for the items", async () => {
    const sleeps: number[] = [];
    const canned = new CannedFetch(() => errorResponse(529));
    const agents = crew(canned, sleeps);
    const error = await agents.triage(items, config()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClaudeCrewError);
    expect((error as ClaudeCrewError).failures).toHaveLength(3);
    expect((error as ClaudeCrewError).failures[0]!.error).toMatch(/after 3 attempt\(s\): overloaded 529/);
    expect(canned.requests).toHaveLength(3);
    expect(sleeps).toEqual([375, 750]); // 500 and 1000 ms with the jitter at its middle
  });

  it("retries malformed JSON and a refusal, then succeeds", async () => {
    const canned = new CannedFetch().reply(
      () => messageResponse("Sure! Here are the results: {r: [}"),
      () => messageResponse("", { stopReason: "refusal" }),
      honest,
    );
    const results = await crew(canned).triage(items, config());
    expect(canned.requests).toHaveLength(3);
    expect(results).toHaveLength(3);
  });

  it("retries a timeout", async () => {
    const canned = new CannedFetch().reply(hang, honest);
    const results = await crew(canned, [], 50).triage(items, config());
    expect(canned.requests).toHaveLength(2);
    expect(results).toHaveLength(3);
  });

  it("does not retry a 400 (bad request): the items fail at once", async () => {
    const canned = new CannedFetch(() => errorResponse(400));
    const error = await crew(canned)
      .triage(items, config())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClaudeCrewError);
    expect(canned.requests).toHaveLength(1);
  });

  it("asks again only for the items whose entries were missing or schema-invalid", async () => {
    const canned = new CannedFetch().reply(
      answering((id) =>
        id === 2 ? { i: 2, c: "URGENT", f: 100 } : id === 3 ? undefined : honestAnswer(items[id - 1]!, id),
      ),
      answering((id) => honestAnswer(items[id - 1]!, id)),
    );
    const results = await crew(canned).triage(items, config());
    expect(canned.requests.map(requestedIds)).toEqual([
      [1, 2, 3],
      [2, 3],
    ]);
    expect(results.map((r) => r.category)).toEqual(["Bug", "Feature Request", "Praise"]);
  });

  it("keeps the results of a failed call so the pipeline's item-by-item retry does not pay for them again", async () => {
    // Item 2 never gets a valid entry; items 1 and 3 do.
    const canned = new CannedFetch(
      answering((id, text) =>
        text.includes("dark mode") ? { i: id, c: "?" } : honestAnswer(items.find((i) => i.text === text)!, id),
      ),
    );
    const agents = crew(canned);
    await expect(agents.triage(items, config())).rejects.toBeInstanceOf(ClaudeCrewError);
    expect(canned.requests).toHaveLength(3);
    expect(agents.heldResults).toBe(2);
    const [first] = await agents.triage([items[0]!], config());
    expect(first!.category).toBe("Bug");
    expect(canned.requests).toHaveLength(3); // served from the held results
    await expect(agents.triage([items[1]!], config())).rejects.toBeInstanceOf(ClaudeCrewError);
    expect(canned.requests).toHaveLength(6); // a fresh call: at most 3 attempts again
  });
});
