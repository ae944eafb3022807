/** S3 in AWS; a folder locally. Keys are slash-separated paths. */
export interface ArtifactStore {
  put(key: string, body: string | Uint8Array, contentType?: string): Promise<{ key: string; uri: string }>;
  get(key: string): Promise<Uint8Array | null>;
  list(prefix: string): Promise<string[]>;
}

/** S3's limit on a key, applied locally too so that a key that works locally works in AWS. */
export const MAX_ARTIFACT_KEY_BYTES = 1_024;

/** Why `key` is not a valid artifact key (slash-separated, relative, no empty/./.. segments), or null. */
export function artifactKeyProblem(key: string): string | null {
  if (typeof key !== "string" || key.length === 0) return "it is empty";
  if (Buffer.byteLength(key) > MAX_ARTIFACT_KEY_BYTES) return `it is longer than ${MAX_ARTIFACT_KEY_BYTES} bytes`;
  if (key.includes("\0")) return "it contains a NUL character";
  if (key.includes("\\")) return "it contains a backslash";
  if (key.startsWith("/") || /^[A-Za-z]:/.test(key)) return "it is an absolute path";
  const segments = key.split("/");
  if (segments.some((segment) => segment === "")) return "it has an empty segment";
  if (segments.some((segment) => segment === "." || segment === "..")) return '"." and ".." segments are not allowed';
  return null;
}
