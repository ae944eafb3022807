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

/** A monotone map from the logistic score to observed accuracy: linear between the points, flat outside. */
export interface IsotonicMap {
  readonly x: readonly number[];
  readonly y: readonly number[];
}

export interface CalibrationModel {
  readonly features: readonly string[];
  readonly weights: readonly number[];
  readonly bias: number;
  /**
   * Isotonic recalibration per decision (bug / feature / other), fitted on out-of-fold decisions, so the stated
   * confidence matches the observed accuracy of that kind of decision. Absent: the logistic score is used as is.
   */
  readonly isotonic?: Readonly<Partial<Record<"bug" | "feature" | "other", IsotonicMap>>>;
}

export function applyIsotonic(map: IsotonicMap | undefined, score: number): number {
  if (!map || map.x.length === 0) return score;
  const { x, y } = map;
  if (score <= x[0]!) return y[0]!;
  const last = x.length - 1;
  if (score >= x[last]!) return y[last]!;
  let i = 1;
  while (x[i]! < score) i++;
  const t = (score - x[i - 1]!) / (x[i]! - x[i - 1]! || 1);
  return y[i - 1]! + t * (y[i]! - y[i - 1]!);
}

/**
 * Pool-adjacent-violators: the non-decreasing (weighted) fit of accuracy on score, with blocks of at least
 * `minBlock` points so that no step rests on a handful of items. Returns one point per block (mean score, accuracy).
 */
export function fitIsotonic(
  points: readonly { score: number; y: number; weight?: number }[],
  minBlock = 25,
): IsotonicMap {
  const sorted = [...points].sort((a, b) => a.score - b.score || a.y - b.y);
  type Block = { sumX: number; sumY: number; w: number; n: number };
  const blocks: Block[] = [];
  const mean = (b: Block) => b.sumY / b.w;
  const merge = (a: Block, b: Block): Block => ({
    sumX: a.sumX + b.sumX,
    sumY: a.sumY + b.sumY,
    w: a.w + b.w,
    n: a.n + b.n,
  });
  // Points with the same score form one block; then adjacent violators are pooled.
  const initial: Block[] = [];
  let prevScore = Number.NaN;
  for (const p of sorted) {
    const w = p.weight ?? 1;
    const point = { sumX: p.score * w, sumY: p.y * w, w, n: 1 };
    const prev = initial[initial.length - 1];
    if (prev && prevScore === p.score) initial[initial.length - 1] = merge(prev, point);
    else initial.push(point);
    prevScore = p.score;
  }
  for (const block of initial) {
    blocks.push(block);
    while (blocks.length > 1 && mean(blocks[blocks.length - 2]!) >= mean(blocks[blocks.length - 1]!)) {
      const b = blocks.pop()!;
      blocks.push(merge(blocks.pop()!, b));
    }
  }
  // Small blocks join a neighbour (merging neighbours keeps the sequence non-decreasing).
  for (let i = 0; i < blocks.length && blocks.length > 1; ) {
    if (blocks[i]!.n >= minBlock) {
      i++;
      continue;
    }
    const j = i + 1 < blocks.length ? i + 1 : i - 1;
    const [lo, hi] = j > i ? [i, j] : [j, i];
    blocks.splice(lo, 2, merge(blocks[lo]!, blocks[hi]!));
    i = lo;
  }
  const round = (n: number) => Math.round(n * 10000) / 10000;
  return { x: blocks.map((b) => round(b.sumX / b.w)), y: blocks.map((b) => round(mean(b))) };
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

const decisionOf = (c: DecisionTrace["category"]) =>
  c === "Bug" ? "bug" : c === "Feature Request" ? "feature" : ("other" as const);

/** The logistic score before the per-decision isotonic map. */
export function logisticScore(t: DecisionTrace, model: CalibrationModel): number {
  const x = calibrationFeatures(t);
  let z = model.bias;
  for (let i = 0; i < x.length; i++) z += (model.weights[i] ?? 0) * x[i]!;
  return sigmoid(z);
}

/** A category inferred from the star rating alone, with no textual evidence, is never more than a coin flip. */
export const FALLBACK_MAX_CONFIDENCE = 0.5;

export function calibratedConfidence(t: DecisionTrace, model: CalibrationModel = SHIPPED_CALIBRATION): number {
  const score = applyIsotonic(model.isotonic?.[decisionOf(t.category)], logisticScore(t, model));
  const p = t.decidedBy === "fallback" ? Math.min(FALLBACK_MAX_CONFIDENCE, score) : score;
  return Math.round(p * 1000) / 1000;
}
