import type { GroupMember, PairScorer } from "./grouper.js";
import { fitLogistic, type LogisticModel, predict } from "./logistic.js";
import { PAIR_FEATURES, pairFeatures } from "./pair-features.js";
import { withSwapGate } from "./scorers.js";
import { type Comparable, cosine } from "./similarity.js";

/** A member whose true problem is known (a report of a labelled set). */
export interface LabelledMember extends GroupMember {
  problem: string;
}

/** A fitted pair classifier: the probability that two reports state one problem. */
export interface PairClassifier {
  features: readonly string[];
  model: LogisticModel;
}

/**
 * Pairs below this cosine are told apart by the embedding alone: training on them would teach the classifier
 * the easy cases. It learns from the pairs the grouper could confuse.
 */
export const TRAINING_COSINE_FLOOR = 0.45;

/** Every pair the grouper could confuse (same scope, close embeddings), as feature rows and labels (1: one problem). */
export function trainingPairs(items: readonly LabelledMember[]): { rows: number[][]; labels: number[] } {
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i]!;
      const b = items[j]!;
      if (a.scope !== b.scope || cosine(a.vector, b.vector) < TRAINING_COSINE_FLOOR) continue;
      rows.push(pairFeatures(a, b));
      labels.push(a.problem === b.problem ? 1 : 0);
    }
  return { rows, labels };
}

/** Fits the classifier on labelled reports (the tune half only). */
export function trainPairClassifier(items: readonly LabelledMember[]): PairClassifier {
  const { rows, labels } = trainingPairs(items);
  return { features: [...PAIR_FEATURES], model: fitLogistic(rows, labels) };
}

/**
 * The classifier as the grouper's similarity: the score is the probability; disjoint error codes and a swapped
 * thing on one template gate (never joined automatically, a suggestion at most).
 */
export function classifierSimilarity(classifier: PairClassifier): PairScorer {
  if (classifier.features.join() !== PAIR_FEATURES.join())
    throw new Error("pair classifier was fitted on other features: fit it again");
  const rows = new WeakMap<object, WeakMap<object, number[]>>();
  // A joined item speaks for its ticket as a copy: its features object identifies the report.
  const rowOf = (a: Comparable, b: Comparable) => {
    const byB = rows.get(a.features) ?? new WeakMap<object, number[]>();
    rows.set(a.features, byB);
    const row = byB.get(b.features) ?? pairFeatures(a, b);
    byB.set(b.features, row);
    return row;
  };
  return withSwapGate((a, b) => {
    const row = rowOf(a, b);
    const otherCode = row[PAIR_FEATURES.indexOf("otherCode")] === 1;
    return { score: predict(classifier.model, row), cosine: cosine(a.vector, b.vector), gated: otherCode };
  });
}
