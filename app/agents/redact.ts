/**
 * PII redaction before feedback text leaves the machine (the Claude crew sends text to a remote model).
 *
 * Pure and fast (a few regular expressions per call, no allocation beyond the result). Detected, in this
 * order of precedence where spans overlap:
 * - EMAIL: `local@domain.tld`, and the obfuscated `local [at] domain [dot] tld` / `local(at)domain.tld`.
 * - IBAN: country code, two check digits and 11-30 letters/digits, optionally grouped by spaces or dashes,
 *   accepted only when the ISO 13616 mod-97 check passes (and the length fits the country where known).
 * - CARD: 13-19 digits, optionally grouped by spaces or dashes, starting 2-6 (the card networks' ranges),
 *   accepted only when the Luhn check passes.
 * - PHONE: 7-15 digits with phone-like punctuation, accepted when it is international (+ or 00), has an
 *   area code in parentheses, has the North American 3-3-4 shape, starts with a national trunk 0, or is
 *   introduced by a word such as "call", "phone", "mobile", "tel" (in several languages). Dates, IP
 *   addresses, versions, amounts and numbers introduced by "order", "invoice", "ticket", "#" are not phones.
 * Each match becomes a placeholder: [EMAIL], [IBAN], [CARD], [PHONE].
 */

export const PII_KINDS = ["EMAIL", "IBAN", "CARD", "PHONE"] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export interface PiiSpan {
  readonly kind: PiiKind;
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

export interface Redaction {
  readonly text: string;
  readonly counts: Record<PiiKind, number>;
}

export interface RedactOptions {
  /** Which kinds to redact; all by default. */
  readonly kinds?: readonly PiiKind[];
}

// ---------------------------------------------------------------------------------------------- e-mail

const EMAIL_RE =
  /(?<![\w.+%'-])[A-Za-z0-9](?:[A-Za-z0-9._%+'-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g;
const OBFUSCATED_EMAIL_RE =
  /(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._+-]{0,63}\s*(?:\[at\]|\(at\)|\{at\}|\[@\]|\(@\))\s*[A-Za-z0-9-]+(?:\s*(?:\.|\[dot\]|\(dot\)|\{dot\})\s*[A-Za-z0-9-]+)*\s*(?:\.|\[dot\]|\(dot\)|\{dot\})\s*[A-Za-z]{2,24}(?![\w-])/gi;

// ----------------------------------------------------------------------------------------------- IBAN

/** ISO 13616 IBAN lengths of the countries most feedback comes from (others: 15-34 with mod-97 only). */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TN: 24,
  TR: 26,
  UA: 29,
  VG: 24,
  XK: 20,
};
const IBAN_CANDIDATE_RE = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){11,32}/g;

/** ISO 7064 mod 97-10 over the rearranged IBAN (letters as 10..35), computed in chunks. */
export function ibanChecksumValid(compact: string): boolean {
  const iban = compact.toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/** Maps a count of alphanumerics back to an end offset in the original candidate text. */
function endAfterAlnums(text: string, from: number, alnums: number): number {
  let seen = 0;
  for (let i = from; i < text.length; i++) {
    if (/[A-Za-z0-9]/.test(text[i]!)) {
      seen += 1;
      if (seen === alnums) return i + 1;
    }
  }
  return text.length;
}

function findIbans(text: string, out: PiiSpan[]): void {
  IBAN_CANDIDATE_RE.lastIndex = 0;
  for (let m = IBAN_CANDIDATE_RE.exec(text); m; m = IBAN_CANDIDATE_RE.exec(text)) {
    const compact = m[0].replace(/[ -]/g, "").toUpperCase();
    const country = compact.slice(0, 2);
    const known = IBAN_LENGTHS[country];
    const lengths = known ? [known] : Array.from({ length: 20 }, (_, i) => 34 - i);
    for (const length of lengths) {
      if (compact.length < length) continue;
      if (!ibanChecksumValid(compact.slice(0, length))) continue;
      // Followed directly by another letter/digit of the same word: not a whole IBAN.
      const end = endAfterAlnums(text, m.index, length);
      if (/[A-Za-z0-9]/.test(text[end] ?? "")) continue;
      out.push({ kind: "IBAN", start: m.index, end, value: text.slice(m.index, end) });
      IBAN_CANDIDATE_RE.lastIndex = end;
      break;
    }
  }
}

// ----------------------------------------------------------------------------------------------- card

const CARD_CANDIDATE_RE =
  /(?<![\d.,/-])\d(?:[ -]?\d){12,18}(?![\d])|(?<![\d.,/-])\d{4}(?:\.\d{4}){3}(?:\.\d{1,3})?(?![\d.])/g;

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function findCards(text: string, out: PiiSpan[]): void {
  CARD_CANDIDATE_RE.lastIndex = 0;
  for (let m = CARD_CANDIDATE_RE.exec(text); m; m = CARD_CANDIDATE_RE.exec(text)) {
    const raw = m[0].replace(/[ -]+$/, "");
    const digits = raw.replace(/\D/g, "");
    if (digits.length < 13 || digits.length > 19) continue;
    if (!/^[2-6]/.test(digits) || /^(\d)\1+$/.test(digits)) continue;
    if (!luhnValid(digits)) continue;
    out.push({ kind: "CARD", start: m.index, end: m.index + raw.length, value: raw });
  }
}

// ---------------------------------------------------------------------------------------------- phone

const PHONE_CANDIDATE_RE =
  /(?<![\w@.,/#$€£%-])(?:\(\+\d{1,3}\)[ .-]?|(?:\+|00)?\(?)\d[\d ().\-/\u00a0]{5,24}\d(?![\w@%]|[.,-]\d)/g;
const PHONE_CONTEXT_RE =
  /\b(?:phone|call(?:ed|ing)?|ring|tel(?:ephone)?|mob(?:ile)?|cell(?:phone)?|number|no\.|nr\.?|whats ?app|sms|text me|reach me|contact|fax|hotline|landline|handy|telefon\w*|t[ée]l[ée]phone|portable|m[óo]vil|celular|cellulare|numero|n[úu]mero|nummer|rufnummer|anrufen|llam\w*|chiam\w*|appel\w*|ligue|звон\w*|телефон|номер)\b[^\d\n]{0,24}$/i;
const NOT_PHONE_CONTEXT_RE =
  /\b(?:order|invoice|ticket|case|ref(?:erence)?|tracking|serial|build|version|ver|v|id|iban|account|acct|bestell\w*|rechnung|commande|pedido|ordine|isbn|zip|postcode|sku|transaction|txn|receipt)\b[^\w\n]{0,6}(?:no\.?|nr\.?|number|#|id)?[^\w\n]{0,4}$/i;
const DATE_RE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;
const IPV4_RE = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const NANP_RE = /^(?:1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}$/;

function findPhones(text: string, out: PiiSpan[]): void {
  PHONE_CANDIDATE_RE.lastIndex = 0;
  for (let m = PHONE_CANDIDATE_RE.exec(text); m; m = PHONE_CANDIDATE_RE.exec(text)) {
    let raw = m[0];
    let start = m.index;
    // An opening parenthesis that is not an area code belongs to the prose.
    if (raw.startsWith("(") && !/^\(\+?\d{1,5}\)/.test(raw)) {
      raw = raw.slice(1);
      start += 1;
    }
    const trimmed = raw.replace(/[\s(/-]+$/, "");
    const digits = trimmed.replace(/\D/g, "");
    if (digits.length < 7 || digits.length > 15) continue;
    if (DATE_RE.test(trimmed) || IPV4_RE.test(trimmed)) continue;
    if (/^\d+(?:[.,]\d{1,2})$/.test(trimmed)) continue; // an amount
    if (/^\d{1,3}(?:\.\d{1,3}){2,}$/.test(trimmed) && !trimmed.startsWith("0")) continue; // a version
    const before = text.slice(Math.max(0, start - 40), start);
    const international = /^\(?(?:\+|00)[1-9]/.test(trimmed);
    const otherNumber = NOT_PHONE_CONTEXT_RE.test(before);
    if (otherNumber && !international) continue;
    const contextual = !otherNumber && PHONE_CONTEXT_RE.test(before);
    const shaped =
      international ||
      /^\(\d{1,5}\)/.test(trimmed) ||
      NANP_RE.test(trimmed) ||
      (/^0[1-9]/.test(trimmed) && digits.length >= 9 && digits.length <= 12);
    const groupedLikePhone = /^\d{2,5}(?:[ .\-/\u00a0]\d{2,5}){1,4}$/.test(trimmed);
    if (shaped || (contextual && (groupedLikePhone || /^\d{7,15}$/.test(trimmed)))) {
      out.push({ kind: "PHONE", start, end: start + trimmed.length, value: trimmed });
    }
  }
}

// -------------------------------------------------------------------------------------------- driver

function findEmails(text: string, out: PiiSpan[]): void {
  for (const re of [EMAIL_RE, OBFUSCATED_EMAIL_RE]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text))
      out.push({ kind: "EMAIL", start: m.index, end: m.index + m[0].length, value: m[0] });
  }
}

const FINDERS: Record<PiiKind, (text: string, out: PiiSpan[]) => void> = {
  EMAIL: findEmails,
  IBAN: findIbans,
  CARD: findCards,
  PHONE: findPhones,
};

/** Every PII span in `text`, without overlaps (earlier kinds in PII_KINDS win), in text order. */
export function findPii(text: string, options: RedactOptions = {}): PiiSpan[] {
  const kinds = options.kinds ?? PII_KINDS;
  // Cheap pre-checks: no '@'/"at" and no digit means nothing to find.
  const hasDigit = /\d/.test(text);
  const mayHaveEmail = text.includes("@") || /[[({]at[\])}]/i.test(text);
  const claimed: PiiSpan[] = [];
  for (const kind of PII_KINDS) {
    if (!kinds.includes(kind)) continue;
    if (kind === "EMAIL" ? !mayHaveEmail : !hasDigit) continue;
    const found: PiiSpan[] = [];
    FINDERS[kind](text, found);
    for (const span of found) {
      if (!claimed.some((c) => span.start < c.end && c.start < span.end)) claimed.push(span);
    }
  }
  return claimed.sort((a, b) => a.start - b.start);
}

/** Replaces every PII span with its placeholder ([EMAIL], [IBAN], [CARD], [PHONE]). */
export function redactPii(text: string, options: RedactOptions = {}): Redaction {
  const counts: Record<PiiKind, number> = { EMAIL: 0, IBAN: 0, CARD: 0, PHONE: 0 };
  const spans = findPii(text, options);
  if (spans.length === 0) return { text, counts };
  let out = "";
  let at = 0;
  for (const span of spans) {
    out += `${text.slice(at, span.start)}[${span.kind}]`;
    at = span.end;
    counts[span.kind] += 1;
  }
  return { text: out + text.slice(at), counts };
}
