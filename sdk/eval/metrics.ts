import type { ClassMetrics, ConfusionMatrix } from "../schemas/evaluation.js";

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

/** Precision, recall and F1 of each label taken as the positive class. */
export function perClassMetrics(pairs: readonly LabelPair[], known: readonly string[] = []): ClassMetrics[] {
  return labelOrder(pairs, known).map((label) => {
    const tp = pairs.filter((p) => p.expected === label && p.predicted === label).length;
    const fp = pairs.filter((p) => p.expected !== label && p.predicted === label).length;
    const fn = pairs.filter((p) => p.expected === label && p.predicted !== label).length;
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support: tp + fn };
  });
}
