import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AnthropicModelClient } from "../../../../app/agents/claude/anthropic-client.js";
import { createClaudeAgents } from "../../../../app/agents/claude/crew.js";
import { createHybridAgents } from "../../../../app/agents/hybrid/index.js";
import { createOfflineAgents } from "../../../../app/agents/offline/index.js";
import { getStatus } from "../../../../app/status/status-service.js";
import { processBatch } from "../../../../app/worker/pipeline.js";
import { statusText } from "../../../../cli/presenters/ops-presenter.js";
import { loadRuntimeConfig } from "../../../../sdk/config/runtime.js";
import { makeMessageBody } from "../../../support/factories.js";
import { openPipelineFixture, type PipelineFixture } from "../../../support/pipeline-fixture.js";
import { answering, CannedFetch, honestAnswer, makeItem } from "../claude/canned.js";

const NO_ANSWER = "Not sure how I feel about the new layout";

describe("status: the hybrid crew's split and Claude's cost", () => {
  let fixture: PipelineFixture;
  beforeEach(async () => {
    fixture = await openPipelineFixture({ retryDelaySeconds: () => 0 });
  });
  afterEach(() => fixture.close());

  it("counts items decided offline, by Claude and kept offline when Claude was unavailable, with Claude's cost", async () => {
    const items = [
      makeItem({ text: "App crashes every time I open my profile page. iPhone 14, iOS 17.2, version 3.2.1." }),
      makeItem({ text: "Please add dark mode, my eyes hurt at night.", rating: 4 }),
      makeItem({ text: "Love it! Best app ever, works great.", rating: 5 }),
      makeItem({ text: "it is what it is", rating: 3 }),
      makeItem({ text: NO_ANSWER, rating: 3 }),
    ];
    // The model answers every item but one, which therefore fails after the crew's three attempts.
    const canned = new CannedFetch(
      answering((id, text) => (text === NO_ANSWER ? undefined : honestAnswer(makeItem({ text }), id)), {
        input_tokens: 1000,
        output_tokens: 100,
      }),
    );
    const claude = createClaudeAgents({
      client: new AnthropicModelClient({ apiKey: "k", fetch: canned.fetch }),
      retry: { sleep: async () => {} },
    });
    const deps = { ...fixture.deps, agents: createHybridAgents({ offline: createOfflineAgents(), claude }) };
    await fixture.queue.send(items.map((item) => ({ body: makeMessageBody(item) })));
    await processBatch(deps, await fixture.queue.receive({ maxMessages: 10 }));
    expect(await fixture.ticketCount()).toBe(5);

    const status = await getStatus(fixture.backend, loadRuntimeConfig({}));
    expect(status.routing).toMatchObject({ items: 5, offline: 3, claude: 1, claudeUnavailable: 1, claudeShare: 0.4 });
    expect(status.routing!.claudeCostUsd).toBeGreaterThan(0);
    expect(status.routing!.claudeCostUsd).toBeCloseTo(status.modelUsage.costUsd, 9);
    expect(statusText(status)).toMatch(
      /Hybrid crew: 5 item\(s\) routed, 3 decided offline, 1 by Claude \(40\.0% sent to Claude, 1 kept offline: Claude unavailable\); Claude cost \$0\.\d{4}/,
    );
  });

  it("reports no split when no item went through the hybrid crew", async () => {
    const status = await getStatus(fixture.backend, loadRuntimeConfig({}));
    expect(status.routing).toBeNull();
    expect(statusText(status)).not.toMatch(/Hybrid crew/);
  });
});
