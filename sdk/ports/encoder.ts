/**
 * Sentence embeddings: text -> a fixed-length vector whose cosine says how close two texts are in meaning.
 * The grouping stage asks for them once per feedback item, in batches, and stores them.
 */
export interface SentenceEncoder {
  /** Names the model: a stored embedding of another model is computed again. */
  readonly model: string;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
