import { ConfigurationError } from "../sdk/errors.js";
import type { TriageAgents } from "../sdk/ports/agents.js";
import { createOfflineAgents } from "./agents/offline/index.js";

export type AgentsMode = "offline" | "claude";

/** Offline by default; Claude only when asked for. */
export function resolveAgentsMode(requested: string | undefined, env: NodeJS.ProcessEnv = process.env): AgentsMode {
  if (requested === "offline" || requested === "claude") return requested;
  if (requested) {
    throw new ConfigurationError(`Unknown agent crew '${requested}'`, { hint: "Use --agents offline or --agents claude." });
  }
  void env;
  return "offline";
}

export async function createAgents(mode: AgentsMode): Promise<TriageAgents> {
  if (mode === "claude") {
    throw new ConfigurationError("The Claude crew is not available in this build yet", {
      hint: "Run with --agents offline (the default when ANTHROPIC_API_KEY is unset).",
    });
  }
  return createOfflineAgents();
}
