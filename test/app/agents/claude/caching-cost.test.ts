import { describe, expect, it } from "vitest";
import { decidePromptCaching, minCacheableTokens } from "../../../../app/agents/claude/caching.js";
import { costOfUsage, DEFAULT_MODEL_PRICES, priceFor, sumCostFromLogs } from "../../../../app/agents/claude/cost.js";
import { createClaudeAgents } from "../../../../app/agents/claude/crew.js";
import type { ModelClient, ModelRequest } from "../../../../app/agents/claude/model-port.js";
import { SYSTEM_PROMPT } from "../../../../app/agents/claude/prompts.js";
import { ANSWER_JSON_SCHEMA, CompactItem } from "../../../../app/agents/claude/schemas.js";
import { estimateTokens } from "../../../../app/agents/claude/tokens.js";
import { config, makeItem } from "./canned.js";

describe("prompt caching decision", () => {
  it("knows the minimum cacheable length per model (Haiku 4.5: 4,096 tokens)", () => {
    expect(minCacheableTokens("claude-haiku-4-5")).toBe(4096);
    expect(minCacheableTokens("claude-haiku-4-5-20251001")).toBe(4096);
    expect(minCacheableTokens("claude-sonnet-4-5")).toBe(1024);
    expect(minCacheableTokens("claude-3-5-haiku-latest")).toBe(2048);
    expect(minCacheableTokens("some-future-model")).toBe(4096);
  });

  it("is off below the minimum, for a single request, and on above it when the prefix is reused", () => {
    expect(decidePromptCaching({ model: "claude-haiku-4-5", prefixTokens: 900, expectedRequests: 100 }).enabled).toBe(
      false,
    );
    expect(decidePromptCaching({ model: "claude-haiku-4-5", prefixTokens: 4095, expectedRequests: 100 }).enabled).toBe(
      false,
    );
    expect(decidePromptCaching({ model: "claude-haiku-4-5", prefixTokens: 4096, expectedRequests: 1 }).enabled).toBe(
      false,
    );
    expect(decidePromptCaching({ model: "claude-haiku-4-5", prefixTokens: 4096, expectedRequests: 2 }).enabled).toBe(
      true,
    );
    expect(decidePromptCaching({ model: "claude-sonnet-4-5", prefixTokens: 1100, expectedRequests: 5 }).enabled).toBe(
      true,
    );
  });

  it("leaves caching off for the crew's own prompt on Haiku 4.5 (its prefix is far below 4,096 tokens)", async () => {
    const prefix = estimateTokens(SYSTEM_PROMPT);
    expect(prefix).toBeGreaterThan(500);
    expect(prefix).toBeLessThan(4096);
    const requests: ModelRequest[] = [];
    const client: ModelClient = {
      async complete(request) {
        requests.push(request);
        return { json: { r: [] }, usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 } };
      },
    };
    const items = Array.from({ length: 40 }, (_, i) => makeItem({ text: `crash ${i}` }));
    await createClaudeAgents({ client, retry: { maxAttempts: 1 } })
      .triage(items, config())
      .catch(() => undefined);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.every((r) => r.cachePrefix === false)).toBe(true);
  });
});

describe("token estimate", () => {
  it("counts about 3.5 Latin characters per token and one per CJK character", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("a".repeat(350))).toBe(100);
    expect(estimateTokens("很好用的应用")).toBe(6);
    expect(estimateTokens("Отличное")).toBe(4);
  });
});

describe("cost", () => {
  it("prices usage from the table, including cache reads/writes and the Message Batches discount", () => {
    const haiku = priceFor("claude-haiku-4-5-20251001")!;
    expect(haiku).toBe(DEFAULT_MODEL_PRICES["claude-haiku-4-5"]);
    const usage = {
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      cacheReadTokens: 1_000_000,
      cacheWriteTokens: 100_000,
    };
    expect(costOfUsage(usage, haiku)).toBeCloseTo(1 + 0.5 + 0.1 + 0.125, 9);
    expect(costOfUsage(usage, haiku, { messageBatch: true })).toBeCloseTo((1 + 0.5 + 0.1 + 0.125) / 2, 9);
    expect(priceFor("gpt-4")).toBeUndefined();
  });

  it("sums cost and tokens from processing logs, by model", () => {
    const summary = sumCostFromLogs([
      { agent: "claude", tokensIn: 100, tokensOut: 10, result: { model: "claude-haiku-4-5", costUsd: 0.00015 } },
      { agent: "claude", tokensIn: 200, tokensOut: 20, result: { model: "claude-haiku-4-5", costUsd: 0.0003 } },
      { agent: "claude", tokensIn: 50, tokensOut: 5, result: { model: "mystery", costUsd: null } },
      { agent: "classifier", tokensIn: null, tokensOut: null, result: {} },
    ]);
    expect(summary).toMatchObject({ calls: 3, tokensIn: 350, tokensOut: 35, unpriced: 1 });
    expect(summary.costUsd).toBeCloseTo(0.00045, 12);
    expect(summary.byModel["claude-haiku-4-5"]!.tokensIn).toBe(300);
  });
});

describe("answer schema", () => {
  it("the JSON schema and the zod schema name the same fields", () => {
    const items = (
      ANSWER_JSON_SCHEMA.properties as { r: { items: { required: string[]; properties: Record<string, unknown> } } }
    ).r.items;
    expect([...items.required].sort()).toEqual(Object.keys(CompactItem.shape).sort());
    expect(Object.keys(items.properties).sort()).toEqual(Object.keys(CompactItem.shape).sort());
  });
});
