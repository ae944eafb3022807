import type { TriageAgents, TriageResult } from "../../../sdk/ports/agents.js";
import type { TriageConfiguration } from "../../../sdk/schemas/configuration.js";
import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import { failedResult, triageOne } from "./crew.js";
import { type OfflineModels, SHIPPED_MODELS } from "./models.js";

export interface OfflineAgentsOptions {
  /** Fitted parts; default to the JSON shipped in app/agents/data/ (calibration and text model). */
  readonly models?: Partial<OfflineModels>;
}

/**
 * The deterministic offline crew (no network): classifier -> bug analyser -> feature extractor ->
 * prioritiser -> ticket writer -> quality critic, each appending a log entry to the item's result.
 * The failure of one item yields a `Failed` result for that item instead of failing the batch.
 */
export function createOfflineAgents(options: OfflineAgentsOptions = {}): TriageAgents {
  const models: OfflineModels = { ...SHIPPED_MODELS, ...options.models };
  return {
    name: "offline",
    async triage(items: readonly FeedbackItem[], config: TriageConfiguration): Promise<TriageResult[]> {
      return items.map((item) => {
        try {
          return triageOne(item, config, models);
        } catch (error) {
          return failedResult(item, error);
        }
      });
    },
  };
}

export { triageOne } from "./crew.js";
export type { OfflineModels } from "./models.js";
export type { TriageAgents, TriageResult };
