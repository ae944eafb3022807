import { cosine } from "./cosine.js";
import { differs, jaccard } from "./sets.js";
import type { Comparable } from "./similarity.js";

/** Two reports share a template when at least this share of their content words is the same. */
export const TEMPLATE_OVERLAP = 0.35;
/**
 * Below this cosine two single words are taken for different things. Set from word pairs outside the evaluation
 * set: synonyms and inflections score 0.44-0.67 with USE-lite ("crash"/"closes", "pics"/"photos"), distinct parts
 * 0.30-0.43 ("camera"/"settings", "pdf"/"sticker"); the margin is thin, so a swap only blocks an automatic join.
 */
export const DISTINCT_WORDS = 0.5;

/** The words only `a` has that no word only `b` has resembles (word vectors below DISTINCT_WORDS). */
function unmatched(a: Comparable, b: Comparable): string[] {
  const onlyB = [...b.features.words].filter((w) => !a.features.words.has(w));
  return [...a.features.words].filter((word) => {
    if (b.features.words.has(word)) return false;
    const vector = a.wordVectors?.get(word);
    if (!vector) return true;
    return !onlyB.some((other) => {
      const v = b.wordVectors?.get(other);
      return v !== undefined && cosine(vector, v) >= DISTINCT_WORDS;
    });
  });
}

/**
 * Same template, another thing: the reports share most of their words, and each holds a word that nothing the
 * other holds in its place resembles ("...when I open the camera" / "...when I open the settings"), or the numbers
 * they state differ ("uses 40%" / "uses 4 GB"). No product lexicon: the encoder's word vectors decide.
 */
export function substituted(a: Comparable, b: Comparable): boolean {
  if (jaccard(a.features.words, b.features.words) < TEMPLATE_OVERLAP) return false;
  if (differs(a.features.numbers, b.features.numbers)) return true;
  return unmatched(a, b).length > 0 && unmatched(b, a).length > 0;
}
