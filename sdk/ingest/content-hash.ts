import { createHash } from "node:crypto";

/** Whitespace other than a single space; replacing these with " " collapses every run. */
const UNUSUAL_WHITESPACE = /\s{2,}|[^\S ]/g;
/** Text below U+0300 is already NFC, and normalize() is costly enough to skip when it can be. */
const MAY_NEED_NFC = /[\u0300-\uffff]/;

/** NFC, whitespace runs collapsed to one space, trimmed: the same message pasted twice hashes the same. */
export function normalizeForHash(value: string): string {
  const composed = MAY_NEED_NFC.test(value) ? value.normalize("NFC") : value;
  return composed.replace(UNUSUAL_WHITESPACE, " ").trim();
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
