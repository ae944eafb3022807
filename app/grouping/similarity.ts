import { cosine } from "./cosine.js";
import { componentsNamed, type ItemFeatures } from "./features.js";
import { common, jaccard, shares } from "./sets.js";

export { cosine };

/** A feedback item ready to compare: its embedding (unit length) and its structured features. */
export interface Comparable {
  vector: Float32Array;
  features: ItemFeatures;
  /** The encoder's vectors of its content words, by stem (the pair classifier reads them; absent elsewhere). */
  wordVectors?: ReadonlyMap<string, Float32Array>;
}

/**
 * Weights of the signals beside the embedding's cosine. Chosen by hand for what each signal means and checked
 * on the tune half of the evaluation set (bench/grouping-eval.ts); only the thresholds are fitted there.
 */
export const WEIGHTS = {
  /** Jaccard overlap of content words. */
  lexical: 0.1,
  /**
   * Same template, another thing: the texts share most words (Jaccard from `templateOverlap`) and the words in
   * which they differ name different components, or a component against something unknown ("a PDF" vs "a sticker").
   */
  templateOverlap: 0.35,
  substituted: -0.3,
  /** Both name components and they share one / share none. */
  sameComponent: 0.15,
  /** Per component named by one side only (when they share one). */
  componentDifference: -0.08,
  otherComponent: -0.3,
  /** One names a component, the other none: it may be implied, a mild doubt. */
  oneComponent: -0.04,
  /** Both name symptoms and share none (crash vs slow). */
  otherSymptom: -0.12,
  /** Shared / disjoint error codes or quoted messages. */
  sameCode: 0.15,
  otherCode: -0.25,
  /** Known platforms differ (the same text on iOS and Android is often another code path). */
  otherPlatform: -0.04,
  sameVersion: 0.02,
};

export interface Similarity {
  score: number;
  cosine: number;
  /** The "same symptom, different component" gate closed: never joined, whatever the score. */
  gated: boolean;
}

/**
 * How likely two items report the same problem: the embedding's cosine, plus lexical overlap, plus or minus
 * the structured signals. Reports naming disjoint components (camera vs settings) or disjoint error codes are
 * gated: their score is lowered and they never join automatically.
 */
export function similarity(a: Comparable, b: Comparable): Similarity {
  const semantic = cosine(a.vector, b.vector);
  const fa = a.features;
  const fb = b.features;
  const lexicon = componentSignals(fa, fb);
  const signals = factSignals(fa, fb);
  const score = semantic + WEIGHTS.lexical * jaccard(fa.words, fb.words) + lexicon.score + signals.score;
  return { score: Math.max(0, score), cosine: semantic, gated: lexicon.gated || signals.gated };
}

/**
 * The same signals without the hand-made lexicon of components and symptoms: the embedding's cosine, lexical
 * overlap, error codes, platform and version only (what the generic gates add to, app/grouping/scorers.ts).
 */
export function lexiconFreeSimilarity(a: Comparable, b: Comparable): Similarity {
  const semantic = cosine(a.vector, b.vector);
  const signals = factSignals(a.features, b.features);
  const score = semantic + WEIGHTS.lexical * jaccard(a.features.words, b.features.words) + signals.score;
  return { score: Math.max(0, score), cosine: semantic, gated: signals.gated };
}

interface Signals {
  score: number;
  gated: boolean;
}

/** Components and symptoms named by the lexicon (app/grouping/features.ts). */
function componentSignals(fa: ItemFeatures, fb: ItemFeatures): Signals {
  let score = 0;
  let gated = false;
  if (fa.components.size > 0 && fb.components.size > 0) {
    if (shares(fa.components, fb.components)) {
      // The more of the named components agree, the likelier one problem; each one named by one side only counts against.
      const shared = common(fa.components, fb.components);
      const differing = fa.components.size + fb.components.size - 2 * shared;
      score += WEIGHTS.sameComponent * jaccard(fa.components, fb.components) + WEIGHTS.componentDifference * differing;
    } else {
      score += WEIGHTS.otherComponent;
      gated = true;
    }
  } else if (fa.components.size + fb.components.size > 0) score += WEIGHTS.oneComponent;
  const overlap = jaccard(fa.words, fb.words);
  if (overlap >= WEIGHTS.templateOverlap) {
    const onlyA = [...fa.words].filter((w) => !fb.words.has(w)).map((w) => fa.spelled.get(w) ?? w);
    const onlyB = [...fb.words].filter((w) => !fa.words.has(w)).map((w) => fb.spelled.get(w) ?? w);
    if (onlyA.length > 0 && onlyB.length > 0) {
      const ca = componentsNamed(onlyA);
      const cb = componentsNamed(onlyB);
      if ((ca.size > 0 || cb.size > 0) && !shares(ca, cb)) {
        score += WEIGHTS.substituted;
        gated = true;
      }
    }
  }
  if (fa.symptoms.size > 0 && fb.symptoms.size > 0 && !shares(fa.symptoms, fb.symptoms)) score += WEIGHTS.otherSymptom;
  return { score, gated };
}

/** Error codes and quoted messages, platform and version: facts a report states, no lexicon needed. */
function factSignals(fa: ItemFeatures, fb: ItemFeatures): Signals {
  let score = 0;
  let gated = false;
  if (fa.codes.size > 0 && fb.codes.size > 0) {
    if (shares(fa.codes, fb.codes)) score += WEIGHTS.sameCode;
    else {
      score += WEIGHTS.otherCode;
      gated = true;
    }
  }
  if (fa.platform && fb.platform && fa.platform !== fb.platform) score += WEIGHTS.otherPlatform;
  if (fa.version && fb.version && fa.version === fb.version) score += WEIGHTS.sameVersion;
  return { score, gated };
}
