import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../factories.js";

interface Estimate {
  systemPromptTokens: number;
  caching: string;
  scenariosPer1000Items: { name: string; usd: number }[];
}

describe("bench/claude-cost.ts", () => {
  it("prints the estimate for 1,000 items; the batched design meets the cost goals", () => {
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
  });
});
