import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { processBatch } from "../../../app/worker/pipeline.js";
import type { TriageAgents } from "../../../sdk/ports/agents.js";
import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import { makeItem, makeMessageBody } from "../../support/factories.js";
import { openPipelineFixture, type PipelineFixture } from "../../support/pipeline-fixture.js";
import { StubAgents } from "../../support/stub-agents.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The stub crew, taking `delayMs` per call: a long model call. */
function slowAgents(delayMs: number, inner = new StubAgents()): TriageAgents {
  return {
    name: "slow",
    async triage(items: readonly FeedbackItem[]) {
      await sleep(delayMs);
      return inner.triage(items);
    },
  };
}

describe("visibility heartbeat while a batch is worked on", () => {
  let fixture: PipelineFixture;
  beforeEach(async () => {
    fixture = await openPipelineFixture({
      agents: slowAgents(2500),
      retryDelaySeconds: () => 0,
      visibilityTimeoutSeconds: 1,
    });
  });
  afterEach(() => fixture.close());

  it("keeps a message hidden from other workers past its visibility timeout while it is processed", async () => {
    await fixture.queue.send([{ body: makeMessageBody() }]);
    const messages = await fixture.queue.receive({ visibilityTimeoutSeconds: 1 });
    const working = processBatch(fixture.deps, messages);
    await sleep(1800);
    expect(await fixture.queue.receive()).toEqual([]);
    expect((await working).created).toBe(1);
  });

  it("releases a failed message for its retry without a late heartbeat hiding it again", async () => {
    await fixture.queue.send([{ body: makeMessageBody(makeItem({ text: "POISON pill" })) }]);
    const messages = await fixture.queue.receive({ visibilityTimeoutSeconds: 1 });
    const outcome = await processBatch(fixture.deps, messages);
    expect(outcome.failed).toHaveLength(1);
    await sleep(600);
    expect(await fixture.queue.depth()).toMatchObject({ visible: 1, inFlight: 0 });
  });
});
