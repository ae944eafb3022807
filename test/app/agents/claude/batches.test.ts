import { describe, expect, it } from "vitest";
import { AnthropicModelClient } from "../../../../app/agents/claude/anthropic-client.js";
import { triageWithMessageBatches } from "../../../../app/agents/claude/batches.js";
import { TriageResult } from "../../../../sdk/ports/agents.js";
import { config, type FetchFn, honestAnswer, makeItem } from "./canned.js";

const items = Array.from({ length: 23 }, (_, i) =>
  makeItem({
    sourceId: `b-${i}`,
    text:
      i % 2
        ? `Please add an export to CSV for reports, idea ${i}`
        : `The calendar crashes when I add an event, case ${i}`,
    rating: 3,
  }),
);
const byText = new Map(items.map((i) => [i.text, i]));

/** A fake Message Batches API: in progress on the first poll, ended on the second; group g1 errors. */
function batchesApi(): {
  fetch: FetchFn;
  calls: string[];
  submitted: { custom_id: string; params: Record<string, unknown> }[];
} {
  const calls: string[] = [];
  const submitted: { custom_id: string; params: Record<string, unknown> }[] = [];
  let polls = 0;
  const batch = (ended: boolean) => ({
    id: "msgbatch_test",
    type: "message_batch",
    processing_status: ended ? "ended" : "in_progress",
    request_counts: {
      processing: ended ? 0 : submitted.length,
      succeeded: ended ? submitted.length - 1 : 0,
      errored: ended ? 1 : 0,
      canceled: 0,
      expired: 0,
    },
    results_url: ended ? "https://api.anthropic.com/v1/messages/batches/msgbatch_test/results" : null,
    created_at: "2026-11-25T00:00:00Z",
    expires_at: "2026-11-26T00:00:00Z",
    ended_at: ended ? "2026-11-25T01:00:00Z" : null,
    archived_at: null,
    cancel_initiated_at: null,
  });
  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
  const answer = (params: Record<string, unknown>) => {
    const user = (params.messages as { content: string }[])[0]!.content;
    const r = [...user.matchAll(/<item id="(\d+)"[^>]*>\n([\s\S]*?)\n<\/item>/g)].map((m) =>
      honestAnswer(byText.get(m[2]!)!, Number(m[1])),
    );
    return {
      id: "msg_b",
      type: "message",
      role: "assistant",
      model: "claude-haiku-4-5",
      stop_reason: "end_turn",
      stop_sequence: null,
      content: [{ type: "text", text: JSON.stringify({ r }) }],
      usage: {
        input_tokens: 1000 + 120 * r.length,
        output_tokens: 50 * r.length,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 0,
      },
    };
  };
  const fetch: FetchFn = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const method = init?.method ?? "GET";
    calls.push(`${method} ${new URL(url).pathname}`);
    if (method === "POST" && url.endsWith("/v1/messages/batches")) {
      submitted.push(...(JSON.parse(String(init?.body)) as { requests: typeof submitted }).requests);
      return json(batch(false));
    }
    if (url.endsWith("/results")) {
      const lines = submitted.map((r) =>
        r.custom_id === "g1"
          ? {
              custom_id: r.custom_id,
              result: { type: "errored", error: { type: "error", error: { type: "api_error", message: "internal" } } },
            }
          : { custom_id: r.custom_id, result: { type: "succeeded", message: answer(r.params) } },
      );
      return new Response(lines.map((l) => JSON.stringify(l)).join("\n"), {
        status: 200,
        headers: { "content-type": "application/binary" },
      });
    }
    if (url.includes("/v1/messages/batches/msgbatch_test")) return json(batch(polls++ >= 1));
    if (method === "POST" && url.endsWith("/v1/messages")) return json(answer(JSON.parse(String(init?.body))));
    return new Response("not found", { status: 404 });
  };
  return { fetch, calls, submitted };
}

describe("Message Batches mode", () => {
  it("submits one batch, polls until it ends, prices answers at the batch discount and retries errored groups synchronously", async () => {
    const api = batchesApi();
    const client = new AnthropicModelClient({ apiKey: "k", fetch: api.fetch });
    const polls: number[] = [];
    const run = await triageWithMessageBatches(items, config(), {
      client,
      batchClient: client,
      batchSize: 10,
      pollIntervalMs: 60_000,
      sleep: async (ms) => void polls.push(ms),
    });
    expect(api.submitted.map((r) => r.custom_id)).toEqual(["g0", "g1", "g2"]);
    expect(api.submitted[0]!.params).toMatchObject({
      model: "claude-haiku-4-5",
      output_config: { format: { type: "json_schema" } },
    });
    expect(polls).toEqual([60_000]);
    expect(run.batchId).toBe("msgbatch_test");
    expect(run.answeredByBatch).toBe(13); // g0 (10) + g2 (3); g1 errored
    expect(api.calls.filter((c) => c === "POST /v1/messages")).toHaveLength(1); // g1 again, synchronously
    expect(run.settled.every((s) => s.ok)).toBe(true);
    const results = run.settled.map((s) => (s as { ok: true; result: TriageResult }).result);
    for (const r of results) expect(() => TriageResult.parse(r)).not.toThrow();
    const model = (i: number) => results[i]!.logs.find((l) => l.agent === "claude")!.result;
    expect(model(0).messageBatch).toBe(true);
    expect(model(10).messageBatch).toBe(false);
    // Same tokens, half the price through the batch.
    const perToken = (i: number) =>
      (model(i).costUsd as number) / ((model(i).inputTokens as number) + 5 * (model(i).outputTokens as number));
    expect(perToken(0) / perToken(10)).toBeCloseTo(0.5, 6);
  });
});
