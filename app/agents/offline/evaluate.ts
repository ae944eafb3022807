import type { TriageConfiguration } from "../../../sdk/schemas/configuration.js";
import { triageOne } from "./crew.js";
import type { LabelledItem } from "./dataset.js";
import type { OfflineModels } from "./models.js";

/** Accuracy and confidence-reliability measurements of the offline crew on labelled data. */

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

export interface Accuracy {
  readonly n: number;
  readonly category: number;
  readonly priority: number;
}

export function accuracy(scored: readonly Scored[]): Accuracy {
  const n = scored.length;
  const cat = scored.filter((s) => s.category === s.expectedCategory).length;
  const pri = scored.filter((s) => s.priority === s.expectedPriority).length;
  return { n, category: n ? cat / n : 0, priority: n ? pri / n : 0 };
}

export interface ReliabilityRow {
  readonly from: number;
  readonly to: number;
  readonly n: number;
  readonly meanConfidence: number;
  readonly accuracy: number;
}

export function reliability(
  scored: readonly Scored[],
  edges: readonly number[] = [0, 0.5, 0.7, 0.8, 0.9, 1],
): ReliabilityRow[] {
  const rows: ReliabilityRow[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const from = edges[i]!;
    const to = edges[i + 1]!;
    const last = i + 2 === edges.length;
    const bin = scored.filter((s) => s.confidence >= from && (last ? s.confidence <= to : s.confidence < to));
    const right = bin.filter((s) => s.category === s.expectedCategory).length;
    const mean = bin.reduce((sum, s) => sum + s.confidence, 0) / (bin.length || 1);
    rows.push({ from, to, n: bin.length, meanConfidence: mean, accuracy: bin.length ? right / bin.length : 0 });
  }
  return rows;
}

/** F1 of one category treated as the positive class (e.g. bug-report detection). */
export function f1For(scored: readonly Scored[], category: string): { precision: number; recall: number; f1: number } {
  const tp = scored.filter((s) => s.category === category && s.expectedCategory === category).length;
  const fp = scored.filter((s) => s.category === category && s.expectedCategory !== category).length;
  const fn = scored.filter((s) => s.category !== category && s.expectedCategory === category).length;
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

const CATEGORIES = ["Bug", "Feature Request", "Praise", "Complaint", "Spam"] as const;

/** Rows: expected category; columns: predicted category. */
export function formatConfusion(scored: readonly Scored[]): string {
  const short = (c: string) => c.slice(0, 9).padStart(9);
  const lines = [`${"expected \\ got".padEnd(16)}${CATEGORIES.map(short).join(" ")}`];
  for (const e of CATEGORIES) {
    const row = CATEGORIES.map((g) =>
      String(scored.filter((s) => s.expectedCategory === e && s.category === g).length).padStart(9),
    );
    lines.push(`${e.padEnd(16)}${row.join(" ")}`);
  }
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
