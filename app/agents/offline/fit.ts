import {
  CALIBRATION_FEATURES,
  type CalibrationModel,
  calibrationFeatures,
  type DecisionTrace,
  fitIsotonic,
  logisticScore,
} from "./calibration.js";
import { traceDecision } from "./classifier.js";
import type { LabelledItem } from "./dataset.js";
import { gatherEvidence } from "./evidence.js";
import type { OfflineModels } from "./models.js";
import { type CoarseItem, coarseOf } from "./real-data.js";
import type { TriageCategory } from "./schemas.js";
import type { TextModel } from "./text-model.js";
import { exampleOf, type TrainingExample, trainTextModel } from "./train-text-model.js";

/**
 * Fitting the two learnt parts of the offline crew (text model and confidence calibration), shared by
 * train.ts (the shipped model) and cross-source.ts (leave-one-file-out evaluation). Deterministic.
 */

const L2 = 0.02;
const STEPS = 4000;
const RATE = 0.3;

export function fitLogistic(xs: number[][], ys: number[], weights?: readonly number[]): CalibrationModel {
  const d = CALIBRATION_FEATURES.length;
  const w = new Array<number>(d).fill(0);
  let b = 0;
  for (let step = 0; step < STEPS; step++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      let z = b;
      for (let j = 0; j < d; j++) z += w[j]! * x[j]!;
      const err = (1 / (1 + Math.exp(-z)) - ys[i]!) * (weights?.[i] ?? 1);
      for (let j = 0; j < d; j++) gw[j]! += err * x[j]!;
      gb += err;
    }
    for (let j = 0; j < d; j++) w[j] = w[j]! - RATE * (gw[j]! / xs.length + L2 * w[j]!);
    b -= RATE * (gb / xs.length);
  }
  const round = (n: number) => Math.round(n * 10000) / 10000;
  return { features: [...CALIBRATION_FEATURES], weights: w.map(round), bias: round(b) };
}

const UNCALIBRATED: CalibrationModel = { features: [], weights: [], bias: 0 };

/**
 * Whether the crew's category is right: our five categories where the row has one, else the coarse
 * bug / feature / other decision (all a real review's label can tell).
 */
export function isRight(row: CoarseItem, category: string): boolean {
  return row.category !== null ? row.category === category : coarseOf(category) === row.label;
}

export interface CalibrationPoint {
  readonly x: number[];
  readonly y: number;
  readonly trace: DecisionTrace;
  readonly source: string;
}

export function calibrationPoints(rows: readonly CoarseItem[], textModel: TextModel): CalibrationPoint[] {
  return rows.map((row) => {
    const trace = traceDecision(row.item, gatherEvidence(row.item), { calibration: UNCALIBRATED, textModel });
    return { x: calibrationFeatures(trace), y: isRight(row, trace.category) ? 1 : 0, trace, source: row.source };
  });
}

/**
 * The logistic model over how a decision was reached, then an isotonic map per decision (bug / feature / other)
 * from its score to the observed accuracy. Rating-only guesses are left out of the maps: they are capped anyway.
 */
export function fitCalibration(points: readonly CalibrationPoint[]): CalibrationModel {
  // Every source weighs the same, so the many easy "neither" sentences of one file do not set the scale.
  const perSource = new Map<string, number>();
  for (const p of points) perSource.set(p.source, (perSource.get(p.source) ?? 0) + 1);
  const weights = points.map((p) => points.length / (perSource.size * perSource.get(p.source)!));
  const logistic = fitLogistic(
    points.map((p) => p.x),
    points.map((p) => p.y),
    weights,
  );
  const isotonic: Record<string, ReturnType<typeof fitIsotonic>> = {};
  for (const decision of ["bug", "feature", "other"] as const) {
    const mine = points.flatMap((p, i) =>
      p.trace.decidedBy !== "fallback" && coarseOf(p.trace.category) === decision
        ? [{ score: logisticScore(p.trace, logistic), y: p.y, weight: weights[i]! }]
        : [],
    );
    if (mine.length >= 50) isotonic[decision] = fitIsotonic(mine);
  }
  return { ...logistic, isotonic };
}

const OTHER: readonly TriageCategory[] = ["Praise", "Complaint"];

export function trainingExample(row: CoarseItem): TrainingExample {
  if (row.category !== null) return exampleOf({ id: row.id, item: row.item, category: row.category, priority: "Low" });
  const accepted: readonly TriageCategory[] =
    row.label === "bug" ? ["Bug"] : row.label === "feature" ? ["Feature Request"] : OTHER;
  return { item: row.item, accepted };
}

export interface FitInput {
  /** Rows the text model learns from: our rule-tuning rows and real review sentences. */
  readonly text: readonly CoarseItem[];
  /** Rows only the calibration sees (our calibration set), scored by the full text model. */
  readonly calibrationOnly: readonly CoarseItem[];
}

/**
 * Trains the text model on every text row, then fits the calibration on out-of-fold decisions: each real row is
 * traced by a text model trained without its fold, so the confidence learns how often unseen real text is right.
 * Our hand-written rule-tuning rows are not calibration points (the rules were tuned on them).
 */
export function fitOfflineModels(input: FitInput): OfflineModels {
  const textModel = trainTextModel(input.text.map(trainingExample));
  const points: CalibrationPoint[] = calibrationPoints(input.calibrationOnly, textModel);
  const real = input.text.filter((r) => r.category === null);
  const ours = input.text.filter((r) => r.category !== null);
  const sources = [...new Set(real.map((r) => r.source))];
  for (const source of sources) {
    const inFold = real.filter((r) => r.source === source);
    const model = trainTextModel([...ours, ...real.filter((r) => r.source !== source)].map(trainingExample));
    points.push(...calibrationPoints(inFold, model));
  }
  return { textModel, calibration: fitCalibration(points) };
}

export const asCoarse = (items: readonly LabelledItem[], source: string): CoarseItem[] =>
  items.map((l) => ({ id: l.id, item: l.item, label: coarseOf(l.category), category: l.category, source }));
