import { describe, expect, it } from "vitest";
import { createAgents, resolveAgentsMode } from "../../../../app/worker/create-agents.js";
import { loadRuntimeConfig } from "../../../../sdk/config/runtime.js";
import { ConfigurationError } from "../../../../sdk/errors.js";
import { answering, CannedFetch, config, honestAnswer, makeItem } from "./canned.js";

/** The agents' settings as an entry point parses them from `env`. */
const agentsConfig = (env: Record<string, string> = {}) => loadRuntimeConfig(env).agents;

describe("createAgents / resolveAgentsMode", () => {
  it("stays offline without a key, picks hybrid when ANTHROPIC_API_KEY is set, and a flag wins", () => {
    expect(resolveAgentsMode(undefined, agentsConfig())).toBe("offline");
    expect(resolveAgentsMode(undefined, agentsConfig({ ANTHROPIC_API_KEY: "  " }))).toBe("offline");
    expect(resolveAgentsMode(undefined, agentsConfig({ ANTHROPIC_API_KEY: "sk-ant-test" }))).toBe("hybrid");
    expect(resolveAgentsMode("hybrid", agentsConfig({ ANTHROPIC_API_KEY: "sk-ant-test" }))).toBe("hybrid");
    expect(resolveAgentsMode(undefined, agentsConfig({ FEEDBACK_TRIAGE_AGENTS: "hybrid" }))).toBe("hybrid");
    expect(resolveAgentsMode("offline", agentsConfig({ ANTHROPIC_API_KEY: "sk-ant-test" }))).toBe("offline");
    expect(
      resolveAgentsMode(
        undefined,
        agentsConfig({ ANTHROPIC_API_KEY: "sk-ant-test", FEEDBACK_TRIAGE_AGENTS: "offline" }),
      ),
    ).toBe("offline");
    expect(resolveAgentsMode("claude", agentsConfig())).toBe("claude");
    expect(() => resolveAgentsMode("gpt", agentsConfig())).toThrow(ConfigurationError);
  });

  it("honours the stored agents.mode when neither a flag nor FEEDBACK_TRIAGE_AGENTS chooses", () => {
    const withKey = agentsConfig({ ANTHROPIC_API_KEY: "sk-ant-test" });
    expect(resolveAgentsMode(undefined, withKey, "offline")).toBe("offline");
    expect(resolveAgentsMode(undefined, withKey, "claude")).toBe("claude");
    expect(resolveAgentsMode(undefined, agentsConfig(), "hybrid")).toBe("hybrid");
    expect(resolveAgentsMode("claude", withKey, "offline")).toBe("claude");
    expect(
      resolveAgentsMode(
        undefined,
        agentsConfig({ ANTHROPIC_API_KEY: "k", FEEDBACK_TRIAGE_AGENTS: "offline" }),
        "hybrid",
      ),
    ).toBe("offline");
    expect(resolveAgentsMode(undefined, withKey, undefined)).toBe("hybrid");
  });

  it("builds the hybrid crew for hybrid, and explains a missing key for it", async () => {
    const canned = new CannedFetch(answering(() => undefined));
    const agents = await createAgents("hybrid", {
      config: agentsConfig({ ANTHROPIC_API_KEY: "sk-ant-test" }),
      fetch: canned.fetch,
    });
    expect(agents.name).toBe("hybrid");
    const error = await createAgents("hybrid", { config: agentsConfig() }).catch((e: unknown) => e);
    expect((error as ConfigurationError).message).toMatch(/hybrid crew needs ANTHROPIC_API_KEY/);
  });

  it("explains a missing key", async () => {
    const error = await createAgents("claude", { config: agentsConfig() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toMatch(/ANTHROPIC_API_KEY/);
    expect((error as ConfigurationError).hint).toMatch(/--agents offline/);
  });

  it("builds the Claude crew from the key and the configured model, redacting by default", async () => {
    const item = makeItem({ text: "Login fails with error 401 since 3.2.1, my mail is bob@example.com", rating: 1 });
    const canned = new CannedFetch(answering((id) => honestAnswer(item, id)));
    const settings = agentsConfig({ ANTHROPIC_API_KEY: "sk-ant-test" });
    const agents = await createAgents("claude", { config: settings, fetch: canned.fetch });
    expect(agents.name).toBe("claude");
    const [result] = await agents.triage(
      [item],
      config({ agents: { mode: "claude", claudeModel: "claude-sonnet-4-5" } }),
    );
    expect(result!.category).toBe("Bug");
    expect(canned.requests[0]!.body.model).toBe("claude-sonnet-4-5");
    expect(JSON.stringify(canned.requests[0]!.body)).not.toContain("bob@example.com");
  });

  it("honours CLAUDE_MODEL and CLAUDE_REDACT_PII=false", async () => {
    const item = makeItem({ text: "Crash on start, write me at bob@example.com" });
    const canned = new CannedFetch(answering((id) => honestAnswer(item, id)));
    const env = { ANTHROPIC_API_KEY: "k", CLAUDE_MODEL: "claude-opus-4-5", CLAUDE_REDACT_PII: "false" };
    await (await createAgents("claude", { config: agentsConfig(env), fetch: canned.fetch })).triage([item], config());
    expect(canned.requests[0]!.body.model).toBe("claude-opus-4-5");
    expect(JSON.stringify(canned.requests[0]!.body)).toContain("bob@example.com");
  });

  it("rejects a bad CLAUDE_BATCH_SIZE by name", () => {
    expect(() => agentsConfig({ ANTHROPIC_API_KEY: "k", CLAUDE_BATCH_SIZE: "500" })).toThrow(/CLAUDE_BATCH_SIZE/);
  });

  it("builds the offline crew for offline", async () => {
    expect((await createAgents("offline")).name).toBe("offline");
  });
});
