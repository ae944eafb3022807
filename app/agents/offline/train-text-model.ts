import type { LabelledItem } from "./dataset.js";
import type { TriageCategory } from "./schemas.js";
import { predictProbabilities, type TextModel, textFeatures } from "./text-model.js";

/** Deterministic SGD for the multinomial logistic regression of text-model.ts. */

const CLASSES: readonly TriageCategory[] = ["Bug", "Feature Request", "Praise", "Complaint", "Spam"];
const EPOCHS = 40;
const RATE = 0.2;
const L2 = 1e-4;
const MIN_COUNT = 2;
const DECIMALS = 1000;

export function trainTextModel(items: readonly LabelledItem[]): TextModel {
  const examples = items
    .filter((l) => (CLASSES as readonly string[]).includes(l.category))
    .map((l) => ({ features: textFeatures(l.item), label: CLASSES.indexOf(l.category as TriageCategory) }));
  const counts = new Map<string, number>();
  for (const e of examples) for (const f of e.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  const weights: Record<string, number[]> = {};
  for (const [f, n] of counts) if (n >= MIN_COUNT) weights[f] = new Array<number>(CLASSES.length).fill(0);
  const bias = new Array<number>(CLASSES.length).fill(0);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const rate = RATE / (1 + epoch * 0.1);
    for (const e of examples) {
      const p = predictProbabilities({ classes: CLASSES, bias, weights }, e.features);
      for (let k = 0; k < CLASSES.length; k++) {
        const g = p[k]! - (k === e.label ? 1 : 0);
        bias[k]! -= rate * g;
        for (const f of e.features) {
          const w = weights[f];
          if (w) w[k] = w[k]! - rate * (g + L2 * w[k]!);
        }
      }
    }
  }
  const round = (v: number) => Math.round(v * DECIMALS) / DECIMALS;
  const compact: Record<string, number[]> = {};
  for (const f of Object.keys(weights).sort()) {
    const w = weights[f]!.map(round);
    if (w.some((v) => Math.abs(v) >= 0.01)) compact[f] = w;
  }
  return { classes: CLASSES, bias: bias.map(round), weights: compact };
}
