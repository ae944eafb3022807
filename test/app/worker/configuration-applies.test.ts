import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOfflineAgents } from "../../../app/agents/offline/index.js";
import { processBatch } from "../../../app/worker/pipeline.js";
import { makeItem, makeMessageBody } from "../../support/factories.js";
import { openPipelineFixture, type PipelineFixture } from "../../support/pipeline-fixture.js";

describe("configuration changes apply to the next item the worker processes", () => {
  let fixture: PipelineFixture;
  beforeEach(async () => {
    fixture = await openPipelineFixture({ agents: createOfflineAgents() });
  });
  afterEach(() => fixture.close());

  async function process(text: string) {
    const item = makeItem({ text, rating: 3, device: null, appVersion: null });
    await fixture.queue.send([{ body: makeMessageBody(item) }]);
    await processBatch(fixture.deps, await fixture.queue.receive({ maxMessages: 10 }));
    const { items } = await fixture.tickets.list({ search: item.sourceId });
    return items[0]!;
  }

  it("uses a new keyword rule for the next item", async () => {
    const before = await process("Please add a dark mode option, the white screen hurts at night.");
    expect(before.category).toBe("Feature Request");
    expect(before.priority).not.toBe("High");

    const rules = await fixture.configuration.get("priority_rules");
    rules.rules.unshift({
      name: "dark-mode-high",
      category: "Feature Request",
      priority: "High",
      keywords: ["dark mode"],
    });
    await fixture.configuration.set("priority_rules", rules, "test");

    const after = await process("Please add a dark mode option, my eyes hurt at night.");
    expect(after).toMatchObject({ category: "Feature Request", priority: "High" });
  });

  it("uses a new category default for the next item", async () => {
    const rules = await fixture.configuration.get("priority_rules");
    rules.defaults.Praise = "Medium";
    await fixture.configuration.set("priority_rules", rules, "test");
    expect(await process("Love this app, the new design is beautiful. Thank you!")).toMatchObject({
      category: "Praise",
      priority: "Medium",
    });
  });

  it("sends tickets below a raised confidence threshold to needs_review", async () => {
    const text = "The app crashes when I open the camera on my phone.";
    expect((await process(text)).status).toBe("open");
    await fixture.configuration.set("confidence_threshold", 1, "test");
    expect((await process(`${text} Again.`)).status).toBe("needs_review");
  });
});
