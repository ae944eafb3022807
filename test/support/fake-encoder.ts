import { createHash } from "node:crypto";
import type { SentenceEncoder } from "../../sdk/ports/encoder.js";

/**
 * A deterministic stand-in for the sentence encoder (the real one costs a model load per test file): a hashed
 * bag of words, unit length, so texts sharing most words are close and others are not. Counts its calls.
 */
export class BagOfWordsEncoder implements SentenceEncoder {
  readonly model = "test-bag-of-words";
  readonly calls: number[] = [];

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.calls.push(texts.length);
    return texts.map((text) => {
      const vector = new Float32Array(256);
      for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
        const slot = createHash("sha1").update(word).digest().readUInt32BE(0) % vector.length;
        vector[slot]! += 1;
      }
      const norm = Math.hypot(...vector) || 1;
      return vector.map((x) => x / norm);
    });
  }
}
