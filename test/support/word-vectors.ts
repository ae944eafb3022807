import { featuresOf } from "../../app/grouping/features.js";
import type { Comparable } from "../../app/grouping/similarity.js";

const DIMENSIONS = 64;
const slots = new Map<string, number>();

/** A one-hot vector per distinct word (distinct words are far apart), or the vector given for it. */
function wordVector(word: string, given: Record<string, number[]>): Float32Array {
  const vector = new Float32Array(DIMENSIONS);
  const fixed = given[word];
  if (fixed) {
    vector.set(fixed);
    return vector;
  }
  if (!slots.has(word)) slots.set(word, 8 + (slots.size % (DIMENSIONS - 8)));
  vector[slots.get(word)!] = 1;
  return vector;
}

/**
 * A report with word vectors, for the generic gates: the sentence vector is the same for all (only the words
 * tell reports apart); `given` sets some words' vectors (in the first 8 dimensions) to make them close.
 */
export function withWords(text: string, given: Record<string, number[]> = {}): Comparable {
  const features = featuresOf(text);
  const wordVectors = new Map([...features.spelled].map(([stem, word]) => [stem, wordVector(word, given)]));
  return { vector: new Float32Array([1, 0, 0]), features, wordVectors };
}
