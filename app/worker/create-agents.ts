import type { AgentsConfig } from "../../sdk/config/runtime.js";
import { ConfigurationError } from "../../sdk/errors.js";
import type { TriageAgents } from "../../sdk/ports/agents.js";
import { createOfflineAgents } from "../agents/offline/index.js";

export type AgentsMode = "offline" | "claude";

/**
 * `--agents offline|claude` wins; without it, Claude when ANTHROPIC_API_KEY is set (the rule:
 * "ANTHROPIC_API_KEY set, or --agents claude"), offline otherwise. FEEDBACK_TRIAGE_AGENTS=offline|claude
 * pins the choice for an environment without a flag (e.g. keep offline on a machine that has a key).
 */
export function resolveAgentsMode(requested: string | undefined, config: AgentsConfig): AgentsMode {
  const wanted = requested ?? config.mode ?? undefined;
  if (wanted === "offline" || wanted === "claude") return wanted;
  if (wanted) {
    throw new ConfigurationError(`Unknown agent crew '${wanted}'`, {
      hint: "Use --agents offline or --agents claude.",
    });
  }
  return config.anthropicApiKey ? "claude" : "offline";
}

export interface CreateAgentsOptions {
  /** The Claude crew's settings (API key, model, batch size, redaction); the offline crew needs none. */
  readonly config?: AgentsConfig;
  /** Injected into the Anthropic client (tests answer with canned responses; nothing reaches the network). */
  readonly fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}

/**
 * The crew for `mode`. The Claude crew uses the configured key (ANTHROPIC_API_KEY; ANTHROPIC_BASE_URL for a
 * proxy) and its model from the `agents.claudeModel` configuration at each batch (CLAUDE_MODEL overrides it);
 * CLAUDE_REDACT_PII=false turns redaction off, CLAUDE_BATCH_SIZE sets the items per request.
 */
export async function createAgents(mode: AgentsMode, options: CreateAgentsOptions = {}): Promise<TriageAgents> {
  if (mode === "claude") {
    const config = options.config;
    const apiKey = config?.anthropicApiKey?.reveal();
    if (!config || !apiKey) {
      throw new ConfigurationError("The Claude crew needs ANTHROPIC_API_KEY", {
        hint: "Set ANTHROPIC_API_KEY (https://console.anthropic.com/settings/keys), or run with --agents offline, which needs no key.",
      });
    }
    const { AnthropicModelClient, createClaudeAgents } = await import("../agents/claude/index.js");
    return createClaudeAgents({
      client: new AnthropicModelClient({
        apiKey,
        baseURL: config.anthropicBaseUrl?.reveal(),
        fetch: options.fetch,
      }),
      model: config.claudeModel ?? undefined,
      batchSize: config.claudeBatchSize ?? undefined,
      redact: config.redactPii,
    });
  }
  return createOfflineAgents();
}
