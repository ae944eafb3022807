/** S3 in AWS; a folder locally. Keys are slash-separated paths. */
export interface ArtifactStore {
  put(key: string, body: string | Uint8Array, contentType?: string): Promise<{ key: string; uri: string }>;
  get(key: string): Promise<Uint8Array | null>;
  list(prefix: string): Promise<string[]>;
}
