import type { ClassMetrics, ConfusionMatrix } from "../schemas/evaluation.js";

/** The one implementation of the evaluation figures: `feedback-cli eval`, the Quality page and the offline crew's reports. */

export interface LabelPair {
  expected: string;
  predicted: string;
}

export function accuracy(pairs: readonly LabelPair[]): number {
  if (pairs.length === 0) return 0;
  return pairs.filter((p) => p.expected === p.predicted).length / pairs.length;
}

/** Labels in the given order first, then any other label seen, so matrices always line up. */
function labelOrder(pairs: readonly LabelPair[], known: readonly string[]): string[] {
  const seen = new Set(pairs.flatMap((p) => [p.expected, p.predicted]));
  return [...known.filter((l) => seen.has(l)), ...[...seen].filter((l) => !known.includes(l)).sort()];
}

export function confusionMatrix(pairs: readonly LabelPair[], known: readonly string[] = []): ConfusionMatrix {
  const labels = labelOrder(pairs, known);
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (const { expected, predicted } of pairs) matrix[index.get(expected)!]![index.get(predicted)!]! += 1;
  return { labels, matrix };
}

/** Precision, recall and F1 of one label taken as the positive class (e.g. bug-report detection). */
export function classMetrics(pairs: readonly LabelPair[], label: string): ClassMetrics {
  const tp = pairs.filter((p) => p.expected === label && p.predicted === label).length;
  const fp = pairs.filter((p) => p.expected !== label && p.predicted === label).length;
  const fn = pairs.filter((p) => p.expected === label && p.predicted !== label).length;
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { label, precision, recall, f1, support: tp + fn };
}

/** Precision, recall and F1 of each label taken as the positive class. */
export function perClassMetrics(pairs: readonly LabelPair[], known: readonly string[] = []): ClassMetrics[] {
  return labelOrder(pairs, known).map((label) => classMetrics(pairs, label));
}

export interface ConfidentPrediction extends LabelPair {
  confidence: number;
}

export interface ReliabilityBucket {
  readonly from: number;
  readonly to: number;
  readonly n: number;
  readonly meanConfidence: number;
  readonly accuracy: number;
}

export const DEFAULT_RELIABILITY_EDGES: readonly number[] = [0, 0.5, 0.7, 0.8, 0.9, 1];

/**
 * Accuracy per confidence bucket [from, to), the last bucket closed at its top, to show whether a stated
 * confidence can be trusted.
 */
export function reliability(
  predictions: readonly ConfidentPrediction[],
  edges: readonly number[] = DEFAULT_RELIABILITY_EDGES,
): ReliabilityBucket[] {
  return edges.slice(0, -1).map((from, i) => {
    const to = edges[i + 1]!;
    const last = i + 2 === edges.length;
    const bucket = predictions.filter((p) => p.confidence >= from && (last ? p.confidence <= to : p.confidence < to));
    const meanConfidence = bucket.reduce((sum, p) => sum + p.confidence, 0) / (bucket.length || 1);
    return { from, to, n: bucket.length, meanConfidence, accuracy: accuracy(bucket) };
  });
}
