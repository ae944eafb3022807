/** Title hygiene: no raw URLs, e-mail addresses, markup or instruction-like text; 5..80 characters. */

export const MAX_TITLE = 80;
export const MIN_TITLE = 5;

const URL_RE =
  /\bhttps?:\/\/\S+|\bwww\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|biz|info|ru|xyz|top|io|co|ly|me|example|shop|site|online|club|win)\b(?:\/\S*)?/gi;
const EMAIL_RE = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;
const INSTRUCTION_RE =
  /\b(?:ignore|disregard|forget|override)\b[^.!?]{0,40}\b(?:instructions?|prompts?|rules|above|previous|prior)\b|\bsystem prompt\b|\byou are (?:now )?(?:an?|the|my) (?:ai|assistant|model|bot|admin|developer)\b|\bact as\b|\bpretend (?:to be|you)\b|\b(?:assistant|system|user)\s*:|\bjailbreak\b|\bdo anything now\b|\bnew instructions?\b|\bset (?:the )?(?:priority|category|status) to\b|\bmark (?:this|it) as\b|\bclassify (?:this|it) as\b/i;
const MARKUP_RE = /<[^>]*>|[`*_#>|[\]{}\\]+/g;

/** True when a sentence tries to instruct the system rather than describe feedback. */
export function isInstructionLike(text: string): boolean {
  return INSTRUCTION_RE.test(text);
}

/** Removes what must never appear in a title and tidies whitespace and punctuation. */
export function cleanTitleText(text: string): string {
  return text
    .replace(URL_RE, " ")
    .replace(EMAIL_RE, " ")
    .replace(MARKUP_RE, " ")
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/([!?.])\1+/g, "$1")
    .replace(/\s+/g, " ")
    .replace(/\s+([,.!?;:])/g, "$1")
    .replace(/^[\s,.;:!?-]+|[\s,;:-]+$/g, "")
    .trim();
}

/** Cuts at a word boundary with an ellipsis so that prefix + text fits in MAX_TITLE characters. */
export function fitTitle(prefix: string, text: string): string {
  const body = cleanTitleText(text);
  const room = MAX_TITLE - prefix.length - 1;
  if (body.length <= room) return `${prefix} ${body}`.trim();
  const cut = body.slice(0, room - 1);
  const lastSpace = cut.lastIndexOf(" ");
  const trimmed = (lastSpace > room / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,.;:!?-]+$/, "");
  return `${prefix} ${trimmed}\u2026`;
}

/** First sentence that is not instruction-like, as a title candidate. */
export function firstUsefulSentence(parts: readonly string[]): string | null {
  for (const s of parts) {
    if (isInstructionLike(s)) continue;
    const cleaned = cleanTitleText(s);
    if (cleaned.replace(/[^\p{L}\p{N}]/gu, "").length >= 3) return cleaned;
  }
  return null;
}
