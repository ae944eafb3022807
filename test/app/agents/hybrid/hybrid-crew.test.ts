import path from "node:path";
import { describe, expect, it } from "vitest";
import { AnthropicModelClient } from "../../../../app/agents/claude/anthropic-client.js";
import { createClaudeAgents } from "../../../../app/agents/claude/crew.js";
import { createHybridAgents, type RouteDecision } from "../../../../app/agents/hybrid/index.js";
import { loadRealisticMix } from "../../../../app/agents/offline/dataset.js";
import { createOfflineAgents } from "../../../../app/agents/offline/index.js";
import type { TriageResult } from "../../../../sdk/ports/agents.js";
import type { FeedbackItem } from "../../../../sdk/schemas/feedback.js";
import {
  answering,
  CannedFetch,
  config,
  errorResponse,
  honestAnswer,
  makeItem,
  requestedIds,
  requestedTexts,
} from "../claude/canned.js";
import { repoRoot } from "../factories.js";

const SURE = [
  makeItem({ text: "App crashes every time I open my profile page. iPhone 14, iOS 17.2, version 3.2.1.", rating: 1 }),
  makeItem({ text: "Please add dark mode, my eyes hurt at night.", rating: 4 }),
  makeItem({ text: "Love it! Best app ever, works great.", rating: 5 }),
];
const UNSURE = [
  makeItem({ text: "it is what it is", rating: 3 }),
  makeItem({ text: "Not sure how I feel about the new layout", rating: 3 }),
];

/** The hybrid crew over the offline crew and a Claude crew answering through `canned` (no network). */
function hybrid(canned: CannedFetch) {
  const claude = createClaudeAgents({
    client: new AnthropicModelClient({ apiKey: "k", fetch: canned.fetch }),
    retry: { sleep: async () => {} },
  });
  return createHybridAgents({ offline: createOfflineAgents(), claude });
}

/** An honest model: answers each requested text (as sent: redacted) with the offline crew's assessment. */
function honest(items: readonly FeedbackItem[]) {
  const byText = new Map(items.map((item) => [item.text, item]));
  return answering((id, text) => honestAnswer(byText.get(text) ?? makeItem({ text }), id), {
    input_tokens: 900,
    output_tokens: 120,
  });
}

const route = (result: TriageResult): RouteDecision => {
  const entry = result.logs[0]!;
  expect(entry.agent).toBe("router");
  return entry.result as unknown as RouteDecision;
};

describe("hybrid crew", () => {
  it("keeps the offline result at or above agents.hybridThreshold and sends only the rest to Claude", async () => {
    const items = [SURE[0]!, UNSURE[0]!, SURE[1]!, UNSURE[1]!, SURE[2]!];
    const canned = new CannedFetch(honest(items));
    const results = await hybrid(canned).triage(items, config());

    expect(canned.requests).toHaveLength(1);
    expect([...requestedTexts(canned.requests[0]!).values()]).toEqual([UNSURE[0]!.text, UNSURE[1]!.text]);
    expect(results.map((r) => route(r).path)).toEqual(["offline", "claude", "offline", "claude", "offline"]);
    expect(results[1]!.logs.some((l) => l.agent === "claude")).toBe(true);
    expect(results[0]!.logs.some((l) => l.agent === "claude")).toBe(false);
  });

  it("reads the threshold from the stored configuration at each batch", async () => {
    const canned = new CannedFetch(honest(SURE));
    const everything = config({ agents: { claudeModel: "claude-haiku-4-5", hybridThreshold: 1 } });
    const results = await hybrid(canned).triage(SURE.slice(0, 2), everything);
    expect(results.map((r) => route(r).path)).toEqual(["claude", "claude"]);
    expect(requestedIds(canned.requests[0]!)).toEqual([1, 2]);
  });

  it("records which path decided and why as the router's processing-log entry", async () => {
    const items = [SURE[0]!, UNSURE[0]!];
    const [sure, unsure] = await hybrid(new CannedFetch(honest(items))).triage(items, config());
    expect(sure!.logs[0]).toMatchObject({
      agent: "router",
      action: "route",
      confidence: sure!.confidence,
      tokensIn: null,
      result: {
        path: "offline",
        reason: `confidence ${sure!.confidence.toFixed(2).replace(/0$/, "")} >= 0.85`,
        threshold: 0.85,
        claudeUnavailable: false,
      },
    });
    expect(unsure!.logs[0]).toMatchObject({
      agent: "router",
      result: { path: "claude", reason: "confidence 0.5 < 0.85", offlineConfidence: 0.5 },
    });
  });

  it("falls back to the offline result in needs_review when Claude fails after its retries", async () => {
    const canned = new CannedFetch(() => errorResponse(500));
    const [sure, unsure] = await hybrid(canned).triage([SURE[0]!, UNSURE[1]!], config());

    expect(canned.requests).toHaveLength(3); // the Claude crew's attempts, then no more
    expect(sure!.status).toBe("open");
    expect(unsure!.status).toBe("needs_review");
    expect(unsure!.category).toBe("Complaint");
    expect(unsure!.reviewReasons[0]).toMatch(/^Claude unavailable: after 3 attempt\(s\): server 500/);
    expect(route(unsure!)).toMatchObject({ path: "offline", claudeUnavailable: true });
    expect(route(unsure!).reason).toMatch(/^confidence 0\.5 < 0\.85; Claude unavailable: /);
    expect(unsure!.logs.some((l) => l.agent === "classifier")).toBe(true);
  });

  it("sends at most 30% of a realistic 1,000-item mix to Claude, in batches of 15", async () => {
    const mix = loadRealisticMix(path.join(repoRoot, "test/app/agents/fixtures"), 1000).map((l) => l.item);
    const canned = new CannedFetch(honest(mix));
    const results = await hybrid(canned).triage(mix, config());

    const sent = canned.requests.reduce((n, r) => n + requestedIds(r).length, 0);
    const routedToClaude = results.filter((r) => route(r).path === "claude").length;
    expect(results.filter((r) => route(r).claudeUnavailable)).toHaveLength(0);
    expect(routedToClaude).toBe(sent);
    expect(sent / mix.length).toBeLessThanOrEqual(0.3);
    expect(sent / mix.length).toBeGreaterThan(0.1);
    expect(canned.requests).toHaveLength(Math.ceil(sent / 15));
  });
});
