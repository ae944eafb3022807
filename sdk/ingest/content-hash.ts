import { createHash } from "node:crypto";

const WHITESPACE_RUN = /\s+/g;

/** NFC, whitespace runs collapsed to one space, trimmed: the same message pasted twice hashes the same. */
export function normalizeForHash(value: string): string {
  return value.normalize("NFC").replace(WHITESPACE_RUN, " ").trim();
}

/**
 * `FeedbackItem.contentHash`: sha256 (hex) of the normalised text and subject. The newline
 * separator cannot occur inside either normalised part, so ("a b", "") and ("a", "b") differ.
 */
export function computeContentHash(text: string, subject: string | null): string {
  return createHash("sha256")
    .update(`${normalizeForHash(text)}\n${normalizeForHash(subject ?? "")}`)
    .digest("hex");
}

/** The `sourceId` of a record whose source gives no id. */
export function contentDerivedId(contentHash: string): string {
  return `sha256:${contentHash.slice(0, 16)}`;
}
