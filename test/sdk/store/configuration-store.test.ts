import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../../sdk/errors.js";
import type { ConfigurationStore } from "../../../sdk/ports/configuration.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";

describe("configuration store", () => {
  let fixture: TestBackend;
  let store: ConfigurationStore;
  beforeAll(async () => {
    fixture = await openTestBackend();
    store = fixture.backend.configuration;
  });
  afterAll(() => fixture?.close());

  it("loads the defaults seeded by the migration", async () => {
    const config = await store.load();
    expect(config.confidenceThreshold).toBe(0.7);
    expect(config.priorityRules.defaults["Feature Request"]).toBe("Low");
    expect(config.agents.mode).toBeUndefined(); // no stored crew: hybrid with ANTHROPIC_API_KEY, else offline
    expect(config.agents.hybridThreshold).toBe(0.85);
  });

  it("returns a changed value on the next load", async () => {
    await store.set("confidence_threshold", 0.85, "test");
    expect((await store.load()).confidenceThreshold).toBe(0.85);
  });

  it("rejects an invalid value with the path of the problem", async () => {
    const bad = { defaults: { Bug: "Urgent" }, rules: [] } as never;
    await expect(store.set("priority_rules", bad, "test")).rejects.toThrow(ValidationError);
    await expect(store.set("priority_rules", bad, "test")).rejects.toThrow(/priority_rules\.defaults\.Bug/);
  });

  it("keeps who changed a value", async () => {
    await store.set("agents", { mode: "offline", claudeModel: "claude-haiku-4-5" }, "bob");
    const row = await fixture.db.prisma.configuration.findUnique({ where: { key: "agents" } });
    expect(row?.updatedBy).toBe("bob");
  });
});
