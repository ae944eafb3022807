import { cosine } from "./cosine.js";
import { differs, jaccard, shares } from "./sets.js";
import type { Comparable } from "./similarity.js";

/**
 * Generic features of a pair of reports for the pair classifier: no product lexicon, only the encoder's
 * sentence and word vectors, word overlap and the facts a report states (codes, numbers, platform, version).
 * The words in which two reports differ are compared through their word vectors: a differing word that nothing
 * in the other report resembles ("camera" against "settings") is the sign of another problem on one template.
 */
export const PAIR_FEATURES = [
  "cosine",
  "wordJaccard",
  "leastExplainedDiffering",
  "substitution",
  "meanExplainedDiffering",
  "templateSubstitution",
  "sameCode",
  "otherCode",
  "sameNumber",
  "otherNumber",
  "lengthRatio",
  "otherPlatform",
  "sameVersion",
] as const;

/** How well each word only `a` has is explained by some word of `b` (best cosine of word vectors, 0 if unknown). */
function explained(a: Comparable, b: Comparable): number[] {
  const vectorsA = a.wordVectors;
  const vectorsB = b.wordVectors;
  const out: number[] = [];
  for (const word of a.features.words) {
    if (b.features.words.has(word)) continue;
    const vector = vectorsA?.get(word);
    let best = 0;
    if (vector && vectorsB) for (const other of vectorsB.values()) best = Math.max(best, cosine(vector, other));
    out.push(best);
  }
  return out;
}

/** The pair's feature row, in the order of PAIR_FEATURES. */
export function pairFeatures(a: Comparable, b: Comparable): number[] {
  const fa = a.features;
  const fb = b.features;
  const onlyA = explained(a, b);
  const onlyB = explained(b, a);
  const differing = [...onlyA, ...onlyB];
  const leastA = Math.min(1, ...onlyA);
  const leastB = Math.min(1, ...onlyB);
  const words = jaccard(fa.words, fb.words);
  // Both sides hold a word the other cannot explain: one thing swapped for another.
  const substitution = onlyA.length > 0 && onlyB.length > 0 ? 1 - Math.max(leastA, leastB) : 0;
  const lengths = [fa.words.size, fb.words.size];
  return [
    cosine(a.vector, b.vector),
    words,
    Math.min(leastA, leastB),
    substitution,
    differing.length ? differing.reduce((s, x) => s + x, 0) / differing.length : 1,
    words * substitution,
    fa.codes.size > 0 && shares(fa.codes, fb.codes) ? 1 : 0,
    fa.codes.size > 0 && fb.codes.size > 0 && !shares(fa.codes, fb.codes) ? 1 : 0,
    fa.numbers.size > 0 && shares(fa.numbers, fb.numbers) ? 1 : 0,
    differs(fa.numbers, fb.numbers) ? 1 : 0,
    Math.max(...lengths) ? Math.min(...lengths) / Math.max(...lengths) : 1,
    fa.platform && fb.platform && fa.platform !== fb.platform ? 1 : 0,
    fa.version && fb.version && fa.version === fb.version ? 1 : 0,
  ];
}
