import type { TriageAgents, TriageResult } from "../../../sdk/ports/agents.js";
import type { TriageConfiguration } from "../../../sdk/schemas/configuration.js";
import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import type { CalibrationModel } from "./calibration.js";
import { failedResult, triageOne } from "./crew.js";

export interface OfflineAgentsOptions {
  /** Confidence calibration; defaults to the model shipped in worker/agents/data/calibration.json. */
  readonly calibration?: CalibrationModel;
}

/**
 * The deterministic offline crew (no network): classifier -> bug analyser -> feature extractor ->
 * prioritiser -> ticket writer -> quality critic, each appending a log entry to the item's result.
 * The failure of one item yields a `Failed` result for that item instead of failing the batch.
 */
export function createOfflineAgents(options: OfflineAgentsOptions = {}): TriageAgents {
  return {
    name: "offline",
    async triage(items: readonly FeedbackItem[], config: TriageConfiguration): Promise<TriageResult[]> {
      return items.map((item) => {
        try {
          return triageOne(item, config, options.calibration);
        } catch (error) {
          return failedResult(item, error);
        }
      });
    },
  };
}

export { triageOne } from "./crew.js";
export type { TriageAgents, TriageResult };
