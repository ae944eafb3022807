import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AnthropicModelClient } from "../../../../app/agents/claude/anthropic-client.js";
import { sumCostFromLogs } from "../../../../app/agents/claude/cost.js";
import { createClaudeAgents } from "../../../../app/agents/claude/crew.js";
import { processBatch } from "../../../../app/worker/pipeline.js";
import type { ProcessingLogEntry } from "../../../../sdk/schemas/ticket.js";
import { makeMessageBody } from "../../../support/factories.js";
import { openPipelineFixture, type PipelineFixture } from "../../../support/pipeline-fixture.js";
import { CannedFetch, errorResponse, honestAnswer, makeItem, messageResponse, requestedTexts } from "./canned.js";

describe("Claude crew in the worker pipeline (canned API, embedded database)", () => {
  let fixture: PipelineFixture;
  beforeEach(async () => {
    fixture = await openPipelineFixture({ retryDelaySeconds: () => 0 });
  });
  afterEach(() => fixture.close());

  it("loads model prices from the configuration table seeded by the migration", async () => {
    const config = await fixture.configuration.load();
    expect(config.modelPrices?.["claude-haiku-4-5"]).toEqual({
      inputPerMTok: 1,
      outputPerMTok: 5,
      cacheWritePerMTok: 1.25,
      cacheReadPerMTok: 0.1,
      batchDiscount: 0.5,
    });
  });

  it("writes tickets with token and cost logs, and sends items that keep failing to the DLQ with their error", async () => {
    const items = Array.from({ length: 40 }, (_, i) =>
      makeItem({
        sourceId: `cp-${i}`,
        text: i % 20 === 3 ? `REFUSE this item ${i}` : `Search freezes on the results page, report ${i}`,
        rating: 2,
      }),
    );
    const byText = new Map(items.map((item) => [item.text, item]));
    const canned = new CannedFetch((request) => {
      const texts = requestedTexts(request);
      if ([...texts.values()].some((t) => t.startsWith("REFUSE")))
        return messageResponse("", { stopReason: "refusal" });
      const r = [...texts.entries()].map(([id, text]) => honestAnswer(byText.get(text)!, id));
      return messageResponse(JSON.stringify({ r }), {
        usage: { input_tokens: 1000 + 100 * r.length, output_tokens: 50 * r.length },
      });
    }).reply(() => errorResponse(429, { "retry-after": "0" }));
    const agents = createClaudeAgents({
      client: new AnthropicModelClient({ apiKey: "k", fetch: canned.fetch }),
      batchSize: 10,
      retry: { sleep: async () => {} },
    });
    const deps = { ...fixture.deps, agents };
    const { queue, dlq } = fixture;
    await queue.send(items.map((item) => ({ body: makeMessageBody(item) })));
    for (let round = 0; round < 10; round++) {
      const messages = await queue.receive({ maxMessages: 40 });
      if (messages.length === 0) break;
      await processBatch(deps, messages);
    }

    const tickets = await fixture.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM tickets");
    expect(tickets.rows[0]!.n).toBe(38);
    const letters = await dlq.list({ limit: 10 });
    expect(letters.map((l) => (l.body as { item: { sourceId: string } }).item.sourceId).sort()).toEqual([
      "cp-23",
      "cp-3",
    ]);
    expect(letters.every((l) => /refusal/.test(l.lastError ?? ""))).toBe(true);

    const logs = await fixture.db.sql.query<{ steps: ProcessingLogEntry[] }>(
      "SELECT steps FROM processing_logs WHERE ticket_id IS NOT NULL",
    );
    expect(logs.rows).toHaveLength(38);
    const steps = logs.rows.flatMap((row) => row.steps);
    expect(steps.filter((step) => step.agent === "claude")).toHaveLength(38);
    const summary = sumCostFromLogs(steps);
    expect(summary.calls).toBe(38);
    expect(summary.costUsd).toBeGreaterThan(0);
    expect(summary.unpriced).toBe(0);
  });
});
