import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../factories.js";

interface Estimate {
  systemPromptTokens: number;
  caching: string;
  scenariosPer1000Items: { name: string; usd: number }[];
  hybrid: {
    threshold: number;
    mix: {
      items: number;
      sentShare: number;
      per1000ItemsUsd: {
        allClaude: number;
        hybrid: number;
        allClaudeMessageBatches: number;
        hybridMessageBatches: number;
      };
      sweep: { threshold: number; sentPct: number }[];
    };
  };
}

describe("bench/claude-cost.ts", () => {
  it("prints the estimate for 1,000 items; the batched design meets the cost goals; hybrid beside all-Claude", () => {
    const out = execFileSync(path.join(repoRoot, "node_modules/.bin/jiti"), ["bench/claude-cost.ts", "--json"], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    const estimate = JSON.parse(out) as Estimate;
    const usd = (prefix: string) => estimate.scenariosPer1000Items.find((s) => s.name.startsWith(prefix))!.usd;
    expect(usd("naive, 1 item/request (issue's figures)")).toBeCloseTo(1.85, 3);
    expect(usd("naive via Message Batches")).toBeCloseTo(0.925, 3);
    expect(usd("batched, 15 items/request, synchronous")).toBeLessThanOrEqual(1.0);
    expect(usd("batched via Message Batches")).toBeLessThanOrEqual(0.5);
    expect(usd("batched, items of 300 tokens (issue's size), synchronous")).toBeLessThanOrEqual(1.0);
    expect(usd("batched, items of 300 tokens, Message Batches")).toBeLessThanOrEqual(0.5);
    expect(estimate.caching).toMatch(/below the 4096-token minimum/);

    // The hybrid crew on the realistic 1,000-item mix: at most 30% to Claude, priced beside all-Claude.
    const { hybrid } = estimate;
    expect(hybrid.threshold).toBe(0.85);
    expect(hybrid.mix.items).toBe(1000);
    expect(hybrid.mix.sentShare).toBeLessThanOrEqual(0.3);
    const cost = hybrid.mix.per1000ItemsUsd;
    expect(cost.hybrid).toBeLessThanOrEqual(cost.allClaude * 0.35);
    expect(cost.hybridMessageBatches).toBeCloseTo(cost.hybrid / 2, 2);
    expect(usd("mix: hybrid (offline >= 0.85), batched, synchronous")).toBe(cost.hybrid);
    expect(usd("mix: all-Claude, batched, synchronous")).toBe(cost.allClaude);
    // A higher threshold never sends fewer items.
    const sent = hybrid.mix.sweep.map((s) => s.sentPct);
    expect([...sent].sort((a, b) => a - b)).toEqual(sent);
  });
});
