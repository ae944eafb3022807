import { describe, expect, it } from "vitest";
import { createAgents, resolveAgentsMode } from "../../../../app/worker/create-agents.js";
import { ConfigurationError } from "../../../../sdk/errors.js";
import { answering, CannedFetch, config, honestAnswer, makeItem } from "./canned.js";

describe("createAgents / resolveAgentsMode", () => {
  it("stays offline without a key, picks Claude when ANTHROPIC_API_KEY is set, and a flag wins", () => {
    expect(resolveAgentsMode(undefined, {})).toBe("offline");
    expect(resolveAgentsMode(undefined, { ANTHROPIC_API_KEY: "  " })).toBe("offline");
    expect(resolveAgentsMode(undefined, { ANTHROPIC_API_KEY: "sk-ant-test" })).toBe("claude");
    expect(resolveAgentsMode("offline", { ANTHROPIC_API_KEY: "sk-ant-test" })).toBe("offline");
    expect(resolveAgentsMode(undefined, { ANTHROPIC_API_KEY: "sk-ant-test", FEEDBACK_TRIAGE_AGENTS: "offline" })).toBe(
      "offline",
    );
    expect(resolveAgentsMode("claude", {})).toBe("claude");
    expect(() => resolveAgentsMode("gpt", {})).toThrow(ConfigurationError);
  });

  it("explains a missing key", async () => {
    const error = await createAgents("claude", { env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toMatch(/ANTHROPIC_API_KEY/);
    expect((error as ConfigurationError).hint).toMatch(/--agents offline/);
  });

  it("builds the Claude crew from the key and the configured model, redacting by default", async () => {
    const item = makeItem({ text: "Login fails with error 401 since 3.2.1, my mail is bob@example.com", rating: 1 });
    const canned = new CannedFetch(answering((id) => honestAnswer(item, id)));
    const agents = await createAgents("claude", { env: { ANTHROPIC_API_KEY: "sk-ant-test" }, fetch: canned.fetch });
    expect(agents.name).toBe("claude");
    const [result] = await agents.triage(
      [item],
      config({ agents: { mode: "claude", claudeModel: "claude-sonnet-4-5" } }),
    );
    expect(result!.category).toBe("Bug");
    expect(canned.requests[0]!.body.model).toBe("claude-sonnet-4-5");
    expect(JSON.stringify(canned.requests[0]!.body)).not.toContain("bob@example.com");
  });

  it("honours CLAUDE_MODEL, CLAUDE_REDACT_PII=false and rejects a bad CLAUDE_BATCH_SIZE", async () => {
    const item = makeItem({ text: "Crash on start, write me at bob@example.com" });
    const canned = new CannedFetch(answering((id) => honestAnswer(item, id)));
    const env = { ANTHROPIC_API_KEY: "k", CLAUDE_MODEL: "claude-opus-4-5", CLAUDE_REDACT_PII: "false" };
    await (await createAgents("claude", { env, fetch: canned.fetch })).triage([item], config());
    expect(canned.requests[0]!.body.model).toBe("claude-opus-4-5");
    expect(JSON.stringify(canned.requests[0]!.body)).toContain("bob@example.com");
    await expect(createAgents("claude", { env: { ANTHROPIC_API_KEY: "k", CLAUDE_BATCH_SIZE: "500" } })).rejects.toThrow(
      /CLAUDE_BATCH_SIZE/,
    );
  });

  it("builds the offline crew for offline", async () => {
    expect((await createAgents("offline")).name).toBe("offline");
  });
});
