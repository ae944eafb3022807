import { ConfigurationError } from "../../sdk/errors.js";
import type { TriageAgents } from "../../sdk/ports/agents.js";
import { createOfflineAgents } from "../agents/offline/index.js";

export type AgentsMode = "offline" | "claude";

/**
 * `--agents offline|claude` wins; without it, Claude when ANTHROPIC_API_KEY is set (the rule:
 * "ANTHROPIC_API_KEY set, or --agents claude"), offline otherwise. FEEDBACK_TRIAGE_AGENTS=offline|claude
 * pins the choice for an environment without a flag (e.g. keep offline on a machine that has a key).
 */
export function resolveAgentsMode(requested: string | undefined, env: NodeJS.ProcessEnv = process.env): AgentsMode {
  const wanted = requested ?? (env.FEEDBACK_TRIAGE_AGENTS || undefined);
  if (wanted === "offline" || wanted === "claude") return wanted;
  if (wanted) {
    throw new ConfigurationError(`Unknown agent crew '${wanted}'`, {
      hint: "Use --agents offline or --agents claude.",
    });
  }
  return env.ANTHROPIC_API_KEY?.trim() ? "claude" : "offline";
}

export interface CreateAgentsOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Injected into the Anthropic client (tests answer with canned responses; nothing reaches the network). */
  readonly fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}

/**
 * The crew for `mode`. The Claude crew reads its key from ANTHROPIC_API_KEY (ANTHROPIC_BASE_URL for a proxy)
 * and its model from the `agents.claudeModel` configuration at each batch (CLAUDE_MODEL overrides it);
 * CLAUDE_REDACT_PII=false turns redaction off, CLAUDE_BATCH_SIZE sets the items per request.
 */
export async function createAgents(mode: AgentsMode, options: CreateAgentsOptions = {}): Promise<TriageAgents> {
  if (mode === "claude") {
    const env = options.env ?? process.env;
    const apiKey = env.ANTHROPIC_API_KEY?.trim();
    if (!apiKey) {
      throw new ConfigurationError("The Claude crew needs ANTHROPIC_API_KEY", {
        hint: "Set ANTHROPIC_API_KEY (https://console.anthropic.com/settings/keys), or run with --agents offline, which needs no key.",
      });
    }
    const { AnthropicModelClient, createClaudeAgents } = await import("../agents/claude/index.js");
    const batchSize = env.CLAUDE_BATCH_SIZE ? Number.parseInt(env.CLAUDE_BATCH_SIZE, 10) : undefined;
    if (batchSize !== undefined && !(batchSize >= 1 && batchSize <= 50)) {
      throw new ConfigurationError(`CLAUDE_BATCH_SIZE must be 1-50, got '${env.CLAUDE_BATCH_SIZE}'`);
    }
    return createClaudeAgents({
      client: new AnthropicModelClient({ apiKey, baseURL: env.ANTHROPIC_BASE_URL || undefined, fetch: options.fetch }),
      model: env.CLAUDE_MODEL?.trim() || undefined,
      batchSize,
      redact: !/^(?:false|0|no|off)$/i.test(env.CLAUDE_REDACT_PII ?? ""),
    });
  }
  return createOfflineAgents();
}
