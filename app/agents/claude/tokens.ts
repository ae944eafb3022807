/**
 * Token estimate of prompt strings without a network call (Anthropic's tokenizer is not published; the
 * count_tokens endpoint needs the network). Measured on the actual strings the crew sends:
 * - Latin-script text: 1 token per 3.5 characters. This is deliberately more than the common "chars / 4"
 *   rule (about 14% more tokens), because Claude's tokenizer yields more tokens than GPT's cl100k for
 *   English, and JSON/markup (many short symbols) tokenises densely; costs estimated with it lean high.
 * - CJK, Hangul, kana: 1 token per character; other non-Latin letters (Cyrillic, Greek, Arabic...):
 *   1 token per 2 characters.
 * The figures in BENCHMARKS.md ("Claude crew cost") come from this estimate; real usage is recorded per
 * item from the API's `usage` and can be compared with it.
 */
const WIDE_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
const LETTER_RE = /\p{L}/gu;
const LATIN_RE = /\p{Script=Latin}/gu;

export const CHARS_PER_TOKEN = 3.5;

export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  const wide = text.match(WIDE_RE)?.length ?? 0;
  const other = Math.max(0, (text.match(LETTER_RE)?.length ?? 0) - (text.match(LATIN_RE)?.length ?? 0) - wide);
  const rest = text.length - wide - other;
  return Math.ceil(rest / CHARS_PER_TOKEN + wide + other / 2);
}
