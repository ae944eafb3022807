import type { SentenceEncoder } from "../../sdk/ports/encoder.js";
import type { ItemFeatures } from "./features.js";

/** Distinct words kept in memory: a product's vocabulary is small, a flood of typos must not grow it for ever. */
const MAX_WORDS = 50_000;

/**
 * The encoder's vectors for single content words, each word embedded once per process: the pair classifier
 * compares the words in which two reports differ ("crash"/"closes" are close, "camera"/"settings" are not).
 */
export class WordVectors {
  private readonly known = new Map<string, Float32Array>();

  constructor(private readonly encoder: SentenceEncoder) {}

  /** Stem -> vector of the word as written, for every content word of each item (missing ones in one batch). */
  async of(items: readonly ItemFeatures[]): Promise<Map<string, Float32Array>[]> {
    const missing = new Set<string>();
    for (const features of items)
      for (const word of features.spelled.values()) if (!this.known.has(word)) missing.add(word);
    const fresh = new Map<string, Float32Array>();
    if (missing.size > 0) {
      const words = [...missing];
      const vectors = await this.encoder.embed(words);
      for (const [i, word] of words.entries()) fresh.set(word, vectors[i]!);
    }
    const out = items.map((features) => this.byStem(features, fresh));
    if (this.known.size + fresh.size > MAX_WORDS) this.known.clear();
    for (const [word, vector] of fresh) this.known.set(word, vector);
    return out;
  }

  private byStem(features: ItemFeatures, fresh: Map<string, Float32Array>): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const [stem, word] of features.spelled) {
      const vector = this.known.get(word) ?? fresh.get(word);
      if (vector) out.set(stem, vector);
    }
    return out;
  }
}
