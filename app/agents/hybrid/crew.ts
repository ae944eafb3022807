import type { TriageAgents, TriageResult } from "../../../sdk/ports/agents.js";
import { DEFAULT_HYBRID_THRESHOLD, type TriageConfiguration } from "../../../sdk/schemas/configuration.js";
import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import type { ProcessingLogEntry } from "../../../sdk/schemas/ticket.js";
import type { ClaudeAgents } from "../claude/crew.js";

/**
 * The hybrid crew: the offline crew triages every item; an item whose offline confidence reaches
 * `agents.hybridThreshold` (default 0.85) keeps the offline result, the others go to the Claude crew (which
 * batches them, 15 per request). When Claude gives no result for an item after its retries, the item keeps
 * the offline result with status needs_review and the reason "Claude unavailable: <error>", so a model outage
 * never loses feedback or fills the DLQ. Each result starts with a `router` log entry: which path decided
 * and why.
 */
export interface HybridAgentsOptions {
  readonly offline: TriageAgents;
  readonly claude: Pick<ClaudeAgents, "triageSettled">;
}

export type RoutePath = "offline" | "claude";

/** What the router records per item (the `result` of its processing-log entry). */
export interface RouteDecision {
  readonly path: RoutePath;
  readonly reason: string;
  readonly offlineConfidence: number;
  readonly threshold: number;
  /** True when the item was meant for Claude but kept the offline result because Claude failed. */
  readonly claudeUnavailable: boolean;
}

export const ROUTER_AGENT = "router";

export function hybridThreshold(config: TriageConfiguration): number {
  return config.agents.hybridThreshold ?? DEFAULT_HYBRID_THRESHOLD;
}

/** Offline confidence at or above the threshold keeps the offline result. */
export function routeByConfidence(confidence: number, threshold: number): RouteDecision {
  const shown = (n: number) => String(Math.round(n * 100) / 100);
  const keep = confidence >= threshold;
  return {
    path: keep ? "offline" : "claude",
    reason: `confidence ${shown(confidence)} ${keep ? ">=" : "<"} ${shown(threshold)}`,
    offlineConfidence: confidence,
    threshold,
    claudeUnavailable: false,
  };
}

function routerLog(decision: RouteDecision): ProcessingLogEntry {
  return {
    agent: ROUTER_AGENT,
    action: "route",
    result: { ...decision },
    confidence: decision.offlineConfidence,
    durationMs: 0,
    tokensIn: null,
    tokensOut: null,
  };
}

/** The offline result of an item Claude could not triage: held for a person, with the model's error. */
export function claudeUnavailable(offline: TriageResult, decision: RouteDecision, error: string): TriageResult {
  const reason = `Claude unavailable: ${error}`;
  const fallback: RouteDecision = {
    ...decision,
    path: "offline",
    reason: `${decision.reason}; ${reason}`,
    claudeUnavailable: true,
  };
  return {
    ...offline,
    status: "needs_review",
    reviewReasons: [reason, ...offline.reviewReasons.filter((r) => r !== reason)],
    logs: [routerLog(fallback), ...offline.logs],
  };
}

export function createHybridAgents(options: HybridAgentsOptions): TriageAgents {
  return {
    name: "hybrid",
    async triage(items: readonly FeedbackItem[], config: TriageConfiguration): Promise<TriageResult[]> {
      const offline = await options.offline.triage(items, config);
      const threshold = hybridThreshold(config);
      const decisions = offline.map((r) => routeByConfidence(r.confidence, threshold));
      const results: TriageResult[] = offline.map((r, i) => ({ ...r, logs: [routerLog(decisions[i]!), ...r.logs] }));
      const toClaude = decisions.flatMap((d, i) => (d.path === "claude" ? [i] : []));
      if (toClaude.length === 0) return results;
      const settled = await options.claude.triageSettled(
        toClaude.map((i) => items[i]!),
        config,
      );
      settled.forEach((s, k) => {
        const i = toClaude[k]!;
        results[i] = s.ok
          ? { ...s.result, logs: [routerLog(decisions[i]!), ...s.result.logs] }
          : claudeUnavailable(offline[i]!, decisions[i]!, s.error);
      });
      return results;
    },
    close: async () => {
      await options.offline.close?.();
    },
  };
}
