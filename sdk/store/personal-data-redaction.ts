import type { ErasureSubject } from "../ports/personal-data.js";

/** What replaces erased text, everywhere: short, fixed, and never a match for anyone's name. */
export const REDACTED = "[redacted]";

/**
 * Keys whose string values are not personal and are kept when a whole record of the person is redacted:
 * what statistics, routing and cost read (category, priority, model, path...) and the item's coarse context.
 */
const KEPT_KEYS = new Set([
  "sourceType",
  "sourceId",
  "channel",
  "rating",
  "statedPriority",
  "appVersion",
  "platform",
  "os",
  "language",
  "app",
  "submittedAt",
  "contentHash",
  "category",
  "priority",
  "status",
  "severity",
  "model",
  "path",
  "agent",
  "action",
  "claudeUnavailable",
]);

/** Normalised as subjects are compared: trimmed, inner white space collapsed, lower-cased. */
export function normaliseSubjectValue(value: string): string {
  return value.trim().replace(/\s+/g, " ").toLowerCase();
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/** The e-mail addresses in a text, lower-cased. */
export function emailsIn(text: string): string[] {
  return [...text.matchAll(EMAIL)].map((match) => match[0].toLowerCase());
}

const escapeForJs = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/**
 * The subject as a whole word (a name) or a whole address (an e-mail), any case, any white space between
 * a name's words: "Lena Fischer" matches "lena  fischer," but not "Lena Fischerova".
 */
export function mentionPattern(subject: ErasureSubject): RegExp {
  const body = subject.value.split(" ").map(escapeForJs).join("\\s+");
  return subject.kind === "email"
    ? new RegExp(`(?<![\\p{L}\\p{N}._%+-])${body}(?![\\p{L}\\p{N}_%+-]|\\.[\\p{L}\\p{N}])`, "giu")
    : new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, "giu");
}

/**
 * A PostgreSQL regular expression (for `~*` on a row's text or JSON text) that every row mentioning the
 * subject matches: a cheap, broad first pass; `mentionPattern` decides.
 */
export function sqlPrefilter(subject: ErasureSubject): string {
  return subject.value
    .split(" ")
    .map((word) =>
      [...word]
        .map((c) => {
          if (!/[\p{L}\p{N}]/u.test(c)) return `\\${c}`;
          // Both cases spelled out: `~*` folds only ASCII under the C collation the embedded database uses.
          const lower = c.toLowerCase();
          const upper = c.toUpperCase();
          return lower === upper || lower.length !== 1 || upper.length !== 1 ? c : `[${lower}${upper}]`;
        })
        .join(""),
    )
    .join("\\s+");
}

/** `value` with every occurrence of the subject in its strings (deep) replaced; `changed` says whether any was. */
export function redactMentions<T>(value: T, pattern: RegExp): { value: T; changed: boolean } {
  let changed = false;
  const walk = (node: unknown): unknown => {
    if (typeof node === "string") {
      const replaced = node.replace(pattern, REDACTED);
      if (replaced !== node) changed = true;
      return replaced;
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === "object")
      return Object.fromEntries(Object.entries(node).map(([key, inner]) => [key, walk(inner)]));
    return node;
  };
  const result = walk(value) as T;
  return { value: result, changed };
}

/**
 * A whole record of the person with its free text gone: every string (deep) replaced by REDACTED unless its
 * key is one of KEPT_KEYS; numbers, booleans and nulls kept (scores, tokens, costs, ratings).
 */
export function redactRecord<T>(value: T): T {
  const walk = (node: unknown, key: string | null): unknown => {
    if (typeof node === "string") return key !== null && KEPT_KEYS.has(key) ? node : REDACTED;
    if (Array.isArray(node)) return node.map((inner) => walk(inner, key));
    if (node && typeof node === "object")
      return Object.fromEntries(Object.entries(node).map(([inner, v]) => [inner, walk(v, inner)]));
    return node;
  };
  return walk(value, null) as T;
}

/** Whether a stored feedback item is the subject's own: its author, or (deep) a field of its metadata, is them. */
export function isSubjectsItem(payload: unknown, subject: ErasureSubject): boolean {
  if (!payload || typeof payload !== "object") return false;
  const item = payload as { author?: unknown; metadata?: unknown };
  const names = (text: string) =>
    normaliseSubjectValue(text) === subject.value ||
    (subject.kind === "email" && emailsIn(text).includes(subject.value));
  if (typeof item.author === "string" && names(item.author)) return true;
  const strings: string[] = [];
  const collect = (node: unknown): void => {
    if (typeof node === "string") strings.push(node);
    else if (Array.isArray(node)) node.forEach(collect);
    else if (node && typeof node === "object") Object.values(node).forEach(collect);
  };
  collect(item.metadata);
  return strings.some(names);
}

/**
 * The stored item of the person, with nothing of theirs left: the text is a marker, author, subject, device
 * and metadata are gone; what statistics use (source, channel, rating, app, platform, dates) is kept, and
 * `redacted` names the erasure (re-triage skips such items).
 */
export function redactedItem(payload: Record<string, unknown>, requestId: string): Record<string, unknown> {
  return {
    ...redactRecord(payload),
    text: REDACTED,
    author: null,
    subject: null,
    device: null,
    metadata: {},
    redacted: { requestId },
  };
}
