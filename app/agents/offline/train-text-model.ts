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

/**
 * One training example: the item and the set of categories that count as right. Our hand-written rows name one
 * category; a real review labelled only "neither bug nor feature request" accepts Praise or Complaint, and the
 * loss is then -log(P(Praise) + P(Complaint)) (learning from partial labels).
 */
export interface TrainingExample {
  readonly item: LabelledItem["item"];
  readonly accepted: readonly TriageCategory[];
}

export const exampleOf = (l: LabelledItem): TrainingExample => ({
  item: l.item,
  accepted: (CLASSES as readonly string[]).includes(l.category) ? [l.category as TriageCategory] : [],
});

const groupOf = (accepted: readonly TriageCategory[]): string =>
  accepted.includes("Bug") ? "bug" : accepted.includes("Feature Request") ? "feature" : "other";

export function trainTextModel(items: readonly (LabelledItem | TrainingExample)[]): TextModel {
  const examples = items
    .map((l) => ("accepted" in l ? l : exampleOf(l)))
    .filter((l) => l.accepted.length > 0)
    .map((l) => ({
      features: textFeatures(l.item),
      accepted: CLASSES.map((c) => l.accepted.includes(c)),
      group: groupOf(l.accepted),
      weight: 1,
    }));
  // Balanced: bug reports, feature requests and the rest weigh the same in total, so the many "neither" rows of
  // real review data do not teach the model that short texts are rarely bugs.
  const groupSize = new Map<string, number>();
  for (const e of examples) groupSize.set(e.group, (groupSize.get(e.group) ?? 0) + 1);
  for (const e of examples) e.weight = examples.length / (groupSize.size * groupSize.get(e.group)!);
  const counts = new Map<string, number>();
  for (const e of examples) for (const f of e.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  // No prototype: feature words such as "constructor" are keys like any other.
  const weights: Record<string, number[]> = Object.create(null);
  for (const [f, n] of counts) if (n >= MIN_COUNT) weights[f] = new Array<number>(CLASSES.length).fill(0);
  const bias = new Array<number>(CLASSES.length).fill(0);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const rate = RATE / (1 + epoch * 0.1);
    for (const e of examples) {
      const p = predictProbabilities({ classes: CLASSES, bias, weights }, e.features);
      let accepted = 0;
      for (let k = 0; k < CLASSES.length; k++) if (e.accepted[k]) accepted += p[k]!;
      for (let k = 0; k < CLASSES.length; k++) {
        const g = e.weight * (p[k]! - (e.accepted[k] ? p[k]! / accepted : 0));
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
