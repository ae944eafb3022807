import type { PairScorer } from "./grouper.js";
import { lexiconFreeSimilarity, similarity } from "./similarity.js";
import { substituted } from "./substitution.js";

/**
 * A scorer with the generic "same template, another thing" gate: a pair whose words show a swap (by the
 * encoder's word vectors, no lexicon) is never joined automatically, a merge suggestion at most. Pairs without
 * word vectors are left as the scorer says.
 */
export function withSwapGate(scorer: PairScorer): PairScorer {
  return (a, b) => {
    const s = scorer(a, b);
    if (s.gated || !a.wordVectors || !b.wordVectors) return s;
    return substituted(a, b) ? { ...s, gated: true } : s;
  };
}

/** The scorers the evaluation compares (the stage uses the first). */
export const SCORERS = {
  weighted: similarity,
  weightedSwapGate: withSwapGate(similarity),
  lexiconFreeSwapGate: withSwapGate(lexiconFreeSimilarity),
} as const;
