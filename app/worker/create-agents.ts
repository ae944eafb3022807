import type { AgentsConfig } from "../../sdk/config/runtime.js";
import { ConfigurationError } from "../../sdk/errors.js";
import type { TriageAgents } from "../../sdk/ports/agents.js";
import type { ConfigurationStore } from "../../sdk/ports/configuration.js";
import { AGENTS_MODES, type AgentsMode } from "../../sdk/schemas/configuration.js";
import { createOfflineAgents } from "../agents/offline/index.js";
import { createThreadedOfflineAgents } from "../agents/offline/threaded-crew.js";

export type { AgentsMode };

const isMode = (value: string): value is AgentsMode => (AGENTS_MODES as readonly string[]).includes(value);

/**
 * The crew to run, first of: `--agents offline|claude|hybrid`; FEEDBACK_TRIAGE_AGENTS (pins the choice for an
 * environment, e.g. offline on a machine that has a key); the stored `agents.mode` configuration (`stored`);
 * else hybrid when ANTHROPIC_API_KEY is set (offline first, Claude only for the items it is not sure of),
 * offline otherwise.
 */
export function resolveAgentsMode(
  requested: string | undefined,
  config: AgentsConfig,
  stored?: AgentsMode | undefined,
): AgentsMode {
  const wanted = requested ?? config.mode ?? stored ?? undefined;
  if (wanted && isMode(wanted)) return wanted;
  if (wanted) {
    throw new ConfigurationError(`Unknown agent crew '${wanted}'`, {
      hint: `Use --agents ${AGENTS_MODES.join(", --agents ")}.`,
    });
  }
  return config.anthropicApiKey ? "hybrid" : "offline";
}

/**
 * `resolveAgentsMode` with the stored `agents.mode` read from the configuration store, only when neither a
 * flag nor FEEDBACK_TRIAGE_AGENTS decides (so that a pinned crew needs no database read).
 */
export async function resolveConfiguredMode(
  requested: string | undefined,
  config: AgentsConfig,
  configuration: Pick<ConfigurationStore, "get">,
): Promise<AgentsMode> {
  if (requested ?? config.mode) return resolveAgentsMode(requested, config);
  return resolveAgentsMode(undefined, config, (await configuration.get("agents")).mode);
}

export interface CreateAgentsOptions {
  /** The Claude crew's settings (API key, model, batch size, redaction); the offline crew needs none. */
  readonly config?: AgentsConfig;
  /** Injected into the Anthropic client (tests answer with canned responses; nothing reaches the network). */
  readonly fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Told when the offline crew's thread cannot run (the crew then triages in the calling thread). */
  readonly onThreadError?: (error: Error) => void;
}

/** The offline crew, in a worker thread when configured (`FEEDBACK_AGENT_THREAD`, default on 2+ cores). */
function offlineCrew(options: CreateAgentsOptions): TriageAgents {
  return options.config?.offlineThread
    ? createThreadedOfflineAgents({ onThreadError: options.onThreadError })
    : createOfflineAgents();
}

/**
 * The crew for `mode`. The hybrid crew runs the offline crew, then this Claude crew on the items below
 * `agents.hybridThreshold`. The Claude crew uses the configured key (ANTHROPIC_API_KEY; ANTHROPIC_BASE_URL for a
 * proxy) and its model from the `agents.claudeModel` configuration at each batch (CLAUDE_MODEL overrides it);
 * CLAUDE_REDACT_PII=false turns redaction off, CLAUDE_BATCH_SIZE sets the items per request.
 */
export async function createAgents(mode: AgentsMode, options: CreateAgentsOptions = {}): Promise<TriageAgents> {
  if (mode === "claude" || mode === "hybrid") {
    const config = options.config;
    const apiKey = config?.anthropicApiKey?.reveal();
    if (!config || !apiKey) {
      throw new ConfigurationError(`The ${mode === "claude" ? "Claude" : "hybrid"} crew needs ANTHROPIC_API_KEY`, {
        hint: "Set ANTHROPIC_API_KEY (https://console.anthropic.com/settings/keys), or run with --agents offline, which needs no key.",
      });
    }
    const { AnthropicModelClient, createClaudeAgents } = await import("../agents/claude/index.js");
    const claude = createClaudeAgents({
      client: new AnthropicModelClient({
        apiKey,
        baseURL: config.anthropicBaseUrl?.reveal(),
        fetch: options.fetch,
      }),
      model: config.claudeModel ?? undefined,
      batchSize: config.claudeBatchSize ?? undefined,
      redact: config.redactPii,
    });
    if (mode === "claude") return claude;
    const { createHybridAgents } = await import("../agents/hybrid/index.js");
    return createHybridAgents({ offline: offlineCrew(options), claude });
  }
  return offlineCrew(options);
}
