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

  it("sees a change written around the store (another process, SQL) on the next load", async () => {
    const before = (await store.load()).confidenceThreshold;
    const write = (value: number) =>
      fixture.db.sql.query(`UPDATE configurations SET value = $1::jsonb WHERE key = 'confidence_threshold'`, [
        JSON.stringify(value),
      ]);
    await write(0.65);
    expect((await store.load()).confidenceThreshold).toBe(0.65);
    await write(before);
  });

  it("gives each caller its own copy of the configuration", async () => {
    const first = await store.load();
    first.priorityRules.rules.length = 0;
    first.confidenceThreshold = 0.01;
    const second = await store.load();
    expect(second.confidenceThreshold).not.toBe(0.01);
    expect(second.priorityRules).toEqual((await store.load()).priorityRules);
    expect(second).not.toBe(await store.load());
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

  it("records each change in the history with who, before and after, newest first", async () => {
    await store.set("confidence_threshold", 0.6, "carol");
    await store.set("confidence_threshold", 0.65, "dave");
    const [latest, previous] = await store.history({ key: "confidence_threshold" });
    expect(latest).toMatchObject({ key: "confidence_threshold", before: 0.6, after: 0.65, actor: "dave" });
    expect(previous).toMatchObject({ before: 0.85, after: 0.6, actor: "carol" });
    expect(Date.parse(latest!.changedAt)).toBeGreaterThanOrEqual(Date.parse(previous!.changedAt));
  });

  it("starts the history of each value with the row the migration seeded", async () => {
    const changes = await store.history({ key: "priority_rules" });
    expect(changes.at(-1)).toMatchObject({ before: null, actor: "migration" });
  });

  it("writes neither the value nor a history entry when the value is unchanged", async () => {
    const before = await store.history();
    expect(await store.update({ confidence_threshold: 0.65 }, "erin")).toEqual([]);
    expect(await store.history()).toEqual(before);
  });

  it("updates several keys in one transaction, none when one is invalid", async () => {
    const before = await store.load();
    const bad = { confidence_threshold: 0.5, agents: { mode: "fast" } } as never;
    await expect(store.update(bad, "frank")).rejects.toThrow(/agents\.mode/);
    expect((await store.load()).confidenceThreshold).toBe(before.confidenceThreshold);
    const changed = await store.update(
      { confidence_threshold: 0.5, agents: { ...before.agents, hybridThreshold: 0.8 } },
      "frank",
    );
    expect(changed).toEqual(["confidence_threshold", "agents"]);
  });
});
