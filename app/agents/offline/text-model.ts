import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import textModelJson from "../data/text-model.json" with { type: "json" };
import type { TriageCategory } from "./schemas.js";
import { normalise } from "./text.js";

/**
 * A small multinomial logistic regression over words, word bigrams (with negation scope marked), subject
 * words (the star rating is left to the rules: most real training text has none). Trained by `train.ts` on real
 * review sentences and the hand-written dev set; the classifier
 * consults it only where its rules have little evidence, and the calibration uses its agreement.
 */
export interface TextModel {
  readonly classes: readonly TriageCategory[];
  readonly bias: readonly number[];
  /** feature -> one weight per class */
  readonly weights: Readonly<Record<string, readonly number[]>>;
}

const NEGATORS = /^(?:no|not|never|without|cant|dont|doesnt|didnt|wont|isnt|wasnt|havent|hasnt|arent|cannot|nothing)$/;
const SCOPE = 3;

export function textFeatures(item: Pick<FeedbackItem, "text" | "subject">): string[] {
  const words =
    normalise(item.text)
      .replace(/'/g, "")
      .match(/[a-z0-9]+/g) ?? [];
  const features = new Set<string>();
  let negatedFor = 0;
  let previous = "<s>";
  for (const raw of words) {
    const word = negatedFor > 0 ? `not_${raw}` : raw;
    negatedFor = NEGATORS.test(raw) ? SCOPE : Math.max(0, negatedFor - 1);
    features.add(word);
    features.add(`${previous} ${word}`);
    previous = word;
  }
  for (const w of normalise(item.subject ?? "")
    .replace(/'/g, "")
    .match(/[a-z0-9]+/g) ?? [])
    features.add(`s_${w}`);
  return [...features];
}

export function predictProbabilities(model: TextModel, features: readonly string[]): number[] {
  const z = [...model.bias];
  for (const f of features) {
    // Own keys only: a review saying "constructor" or "toString" must not find Object.prototype's members.
    const w = Object.hasOwn(model.weights, f) ? model.weights[f] : undefined;
    if (!w) continue;
    for (let k = 0; k < z.length; k++) z[k] = z[k]! + w[k]!;
  }
  const max = Math.max(...z);
  const exp = z.map((v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((v) => v / sum);
}

export const SHIPPED_TEXT_MODEL: TextModel = textModelJson as TextModel;

export interface TextPrediction {
  readonly category: TriageCategory;
  readonly probability: number;
  readonly probabilities: Readonly<Record<TriageCategory, number>>;
}

export function predictCategory(
  item: Pick<FeedbackItem, "text" | "subject" | "rating" | "sourceType">,
  model: TextModel = SHIPPED_TEXT_MODEL,
): TextPrediction {
  const p = predictProbabilities(model, textFeatures(item));
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
  const probabilities = Object.fromEntries(model.classes.map((c, k) => [c, p[k]!])) as Record<TriageCategory, number>;
  return { category: model.classes[best]!, probability: p[best]!, probabilities };
}
