import type { Category } from "../../../sdk/schemas/feedback.js";
import calibrationJson from "../data/calibration.json" with { type: "json" };

/**
 * Confidence = P(the category is right), from a logistic model over how the decision was reached.
 * The weights are fitted by `train.ts` on test/app/agents/fixtures/calibration-set.csv, hand-written items the
 * rules were never tuned on, so a confidence of 0.9 means "right about nine times in ten" on unseen text.
 */
export interface DecisionTrace {
  readonly category: Exclude<Category, "Failed">;
  readonly decidedBy: string;
  /** Evidence for the chosen category and for the strongest competitor. */
  readonly winner: number;
  readonly runnerUp: number;
  readonly rating: number | null;
  readonly words: number;
  readonly sarcasm: boolean;
  readonly hasSubject: boolean;
  /** Probability the text model gives the chosen category. */
  readonly textProbability: number;
}

export const CALIBRATION_FEATURES = [
  "winner",
  "margin",
  "ratingAgrees",
  "ratingDisagrees",
  "fallback",
  "shortText",
  "textAgreement",
] as const;

export interface CalibrationModel {
  readonly features: readonly string[];
  readonly weights: readonly number[];
  readonly bias: number;
}

const RATING_FIT: Record<DecisionTrace["category"], (r: number) => number> = {
  Bug: (r) => (r <= 3 ? 1 : r === 5 ? -1 : 0),
  Complaint: (r) => (r <= 2 ? 1 : r >= 4 ? -1 : 0),
  Praise: (r) => (r >= 4 ? 1 : r <= 2 ? -1 : 0),
  "Feature Request": (r) => (r >= 2 ? 0 : -1),
  Spam: () => 0,
};

export function calibrationFeatures(t: DecisionTrace): number[] {
  const fit = t.rating === null ? 0 : RATING_FIT[t.category](t.rating);
  return [
    Math.log1p(t.winner),
    Math.log1p(Math.max(0, t.winner - t.runnerUp)),
    fit > 0 ? 1 : 0,
    fit < 0 ? 1 : 0,
    t.decidedBy === "fallback" || t.decidedBy === "text-model" ? 1 : 0,
    t.words < 5 ? 1 : 0,
    t.textProbability,
  ];
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export const SHIPPED_CALIBRATION: CalibrationModel = calibrationJson;

/** A category inferred from the star rating alone, with no textual evidence, is never more than a coin flip. */
export const FALLBACK_MAX_CONFIDENCE = 0.5;

export function calibratedConfidence(t: DecisionTrace, model: CalibrationModel = SHIPPED_CALIBRATION): number {
  const x = calibrationFeatures(t);
  let z = model.bias;
  for (let i = 0; i < x.length; i++) z += (model.weights[i] ?? 0) * x[i]!;
  const p = t.decidedBy === "fallback" ? Math.min(FALLBACK_MAX_CONFIDENCE, sigmoid(z)) : sigmoid(z);
  return Math.round(p * 1000) / 1000;
}
