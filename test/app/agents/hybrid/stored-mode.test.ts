import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pipelineDeps } from "../../../../app/worker/worker-service.js";
import { loadRuntimeConfig } from "../../../../sdk/config/runtime.js";
import { openTestBackend, type TestBackend } from "../../../support/backend.js";
import { repoRoot } from "../factories.js";

const withKey = () => loadRuntimeConfig({ ANTHROPIC_API_KEY: "sk-ant-test" }).agents;

describe("the stored agents.mode", () => {
  let fixture: TestBackend;
  beforeEach(async () => {
    fixture = await openTestBackend();
  });
  afterEach(() => fixture.close());

  it("is absent after the migrations, so the key decides: hybrid with ANTHROPIC_API_KEY", async () => {
    const agents = await fixture.backend.configuration.get("agents");
    expect(agents.mode).toBeUndefined();
    expect(agents.hybridThreshold).toBe(0.85);
    expect((await pipelineDeps(fixture.backend, withKey())).agents.name).toBe("hybrid");
    expect((await pipelineDeps(fixture.backend, loadRuntimeConfig({}).agents)).agents.name).toBe("offline");
  });

  it("is honoured by the worker: stored hybrid builds the hybrid crew, stored offline the offline crew", async () => {
    const { configuration } = fixture.backend;
    await configuration.set("agents", { mode: "hybrid", claudeModel: "claude-haiku-4-5" }, "test");
    expect((await pipelineDeps(fixture.backend, withKey())).agents.name).toBe("hybrid");
    await configuration.set("agents", { mode: "offline", claudeModel: "claude-haiku-4-5" }, "test");
    expect((await pipelineDeps(fixture.backend, withKey())).agents.name).toBe("offline");
    // A flag still wins over the stored choice.
    expect((await pipelineDeps(fixture.backend, withKey(), { mode: "hybrid" })).agents.name).toBe("hybrid");
  });

  it("keeps a crew someone chose when the hybrid migration runs", async () => {
    await fixture.backend.configuration.set("agents", { mode: "offline", claudeModel: "claude-sonnet-4-5" }, "bob");
    const sql = readFileSync(
      path.join(repoRoot, "prisma/migrations/20261206120000_agents_hybrid/migration.sql"),
      "utf8",
    );
    for (const statement of sql.replace(/^--.*$/gm, "").split(/;\s*\n/)) {
      if (statement.trim()) await fixture.db.sql.query(statement);
    }
    expect(await fixture.backend.configuration.get("agents")).toEqual({
      mode: "offline",
      claudeModel: "claude-sonnet-4-5",
      hybridThreshold: 0.85,
    });
  });
});
