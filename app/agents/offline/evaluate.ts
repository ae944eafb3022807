import * as metrics from "../../../sdk/eval/metrics.js";
import type { TriageConfiguration } from "../../../sdk/schemas/configuration.js";
import { triageOne } from "./crew.js";
import type { LabelledItem } from "./dataset.js";
import type { OfflineModels } from "./models.js";

/**
 * The offline crew scored on labelled data, for train.ts, report.ts and the accuracy floors. The figures
 * come from sdk/eval/metrics, the same code as `feedback-cli eval`; this file only scores and formats.
 */

export interface Scored {
  readonly id: string;
  readonly text: string;
  readonly expectedCategory: string;
  readonly expectedPriority: string;
  readonly category: string;
  readonly priority: string;
  readonly confidence: number;
}

export function score(items: readonly LabelledItem[], config: TriageConfiguration, models?: OfflineModels): Scored[] {
  return items.map((l) => {
    const r = triageOne(l.item, config, models);
    return {
      id: l.id,
      text: l.item.text,
      expectedCategory: l.category,
      expectedPriority: l.priority,
      category: r.category,
      priority: r.priority,
      confidence: r.confidence,
    };
  });
}

const categoryPairs = (scored: readonly Scored[]) =>
  scored.map((s) => ({ expected: s.expectedCategory, predicted: s.category, confidence: s.confidence }));
const priorityPairs = (scored: readonly Scored[]) =>
  scored.map((s) => ({ expected: s.expectedPriority, predicted: s.priority }));

export interface Accuracy {
  readonly n: number;
  readonly category: number;
  readonly priority: number;
}

export function accuracy(scored: readonly Scored[]): Accuracy {
  return {
    n: scored.length,
    category: metrics.accuracy(categoryPairs(scored)),
    priority: metrics.accuracy(priorityPairs(scored)),
  };
}

export type ReliabilityRow = metrics.ReliabilityBucket;

/** Category accuracy per confidence bucket. */
export function reliability(scored: readonly Scored[], edges?: readonly number[]): ReliabilityRow[] {
  return metrics.reliability(categoryPairs(scored), edges);
}

/** F1 of one category treated as the positive class (e.g. bug-report detection). */
export function f1For(scored: readonly Scored[], category: string): { precision: number; recall: number; f1: number } {
  const { precision, recall, f1 } = metrics.classMetrics(categoryPairs(scored), category);
  return { precision, recall, f1 };
}

const CATEGORIES = ["Bug", "Feature Request", "Praise", "Complaint", "Spam"] as const;

/** Rows: expected category; columns: predicted category. */
export function formatConfusion(scored: readonly Scored[]): string {
  const { labels, matrix } = metrics.confusionMatrix(categoryPairs(scored), CATEGORIES);
  const count = (expected: string, got: string) => matrix[labels.indexOf(expected)]?.[labels.indexOf(got)] ?? 0;
  const short = (c: string) => c.slice(0, 9).padStart(9);
  const lines = [`${"expected \\ got".padEnd(16)}${CATEGORIES.map(short).join(" ")}`];
  for (const e of CATEGORIES)
    lines.push(`${e.padEnd(16)}${CATEGORIES.map((g) => String(count(e, g)).padStart(9)).join(" ")}`);
  return lines.join("\n");
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function formatAccuracy(label: string, a: Accuracy): string {
  return `${label.padEnd(28)} n=${String(a.n).padStart(4)}  category ${pct(a.category)}  priority ${pct(a.priority)}`;
}

export function formatReliability(rows: readonly ReliabilityRow[]): string {
  const lines = ["confidence     n   mean conf  accuracy"];
  for (const r of rows) {
    lines.push(
      `${r.from.toFixed(1)}-${r.to.toFixed(1)}   ${String(r.n).padStart(5)}   ${r.meanConfidence.toFixed(3)}     ${pct(r.accuracy)}`,
    );
  }
  return lines.join("\n");
}
