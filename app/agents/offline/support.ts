import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import { normalise } from "./text.js";

/**
 * Whether a phrase the crew writes (a title, a symptom, an impact) is supported by the feedback text:
 * every content word of the phrase appears in the text, as an inflection of a word in it, or as a
 * direct synonym from the small map below. Frame words ("Bug report", "Complaint", "not working") and
 * function words carry no topic and need no support.
 */

const FUNCTION_WORDS = new Set(
  (
    "a an the and or but of in on at to for with without from by after before since until when while during " +
    "is are was were be been being am it its it's this that these those my your our their his her i we you he she " +
    "they me us them not no nor won't can't cannot doesn't don't isn't wasn't didn't wont cant dont doesnt isnt " +
    "too many much more very so as into over under about again also just only all any some every each than then"
  ).split(" "),
);

/** Words that frame a title without naming a topic: the kind of ticket, its source, a generic problem. */
const FRAME_WORDS = new Set(
  (
    "bug report reports feature request requested requests complaint feedback praise positive issue " +
    "problem problems failure not working unhappy concerns concern unsolicited promotion app application " +
    "store review email webhook mentions rated"
  ).split(" "),
);

/**
 * Direct synonyms. An entry of 4+ letters matches any word or stem starting with it ("unrespons" covers
 * "unresponsive"); a shorter entry must match exactly. A phrase word in a group is supported by any word
 * of the same group in the text.
 */
const SYNONYMS: readonly (readonly string[])[] = [
  ["crash", "clos", "quit", "force"],
  ["freez", "froze", "frozen", "hang", "stuck", "unrespons"],
  ["login", "log", "logon", "signin", "sign", "lock"],
  ["pay", "payment", "paid", "checkout", "card", "purchas", "transaction", "charg", "bill"],
  ["charg", "bill", "overcharg", "invoic"],
  ["twice", "double", "duplicat", "two"],
  ["ad", "ads", "advert"],
  ["support", "agent", "chatbot", "callback", "helpdesk", "service"],
  ["customer", "agent", "chatbot", "helpdesk", "callback"],
  ["unrespons", "reply", "replies", "respons", "answer", "ignor", "callback"],
  ["pric", "expensiv", "cost", "cheap", "overpric", "fee", "fees"],
  ["subscri", "paywall", "premium"],
  ["redesign", "design", "layout", "interface", "ui"],
  ["privacy", "privat", "consent", "track", "gdpr"],
  ["refund", "money", "reimburs"],
  ["data", "file", "note", "photo", "message", "contact", "entry", "entri", "progress", "histor", "document"],
  ["data", "picture", "video", "record", "chat", "everything"],
  ["loss", "lost", "disappear", "vanish", "wipe", "wiping", "gone", "delet", "eras", "missing"],
  ["secur", "hack", "compromis", "breach", "leak", "expos"],
  ["open", "launch", "start", "load"],
  ["blank", "black", "white", "grey", "gray", "empty"],
  ["slow", "lag", "forever", "sluggish", "perform"],
  ["batter", "drain"],
  ["cosmetic", "typo", "misspel", "misalign", "overlap", "blurry", "stretch", "colour", "color", "font"],
  ["macos", "mac", "osx"],
];

const NO_SPACE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
// Dots join digits only ("3.2.1"), so "app...thanks" cleaned to "app.thanks" stays two words.
const TOKEN_RE = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+|(?<=\d)\.\d+)*/gu;
const MIN_PREFIX = 4;

export function tokens(text: string): string[] {
  return normalise(text).match(TOKEN_RE) ?? [];
}

const undouble = (s: string): string => (/([^aeiouls])\1$/.test(s) ? s.slice(0, -1) : s);

/** A light English stem: enough to match "crashes"/"crashed"/"crashing" and "billed"/"billing". */
export function stem(word: string): string {
  let w = word.replace(/'s$/, "");
  if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
  if (/ies$/.test(w)) return `${w.slice(0, -3)}y`;
  if (/(?:ch|sh|x|z|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (/[^su]s$/.test(w)) w = w.slice(0, -1);
  else if (/ing$/.test(w) && w.length > 5) w = undouble(w.slice(0, -3));
  else if (/ed$/.test(w) && w.length > 4) w = undouble(w.slice(0, -2));
  else if (/ly$/.test(w) && w.length > 5) w = w.slice(0, -2);
  return w.length > 4 ? w.replace(/e$/, "") : w;
}

/** The words of a phrase that name something and therefore need support in the text. */
export function contentWords(phrase: string): string[] {
  return tokens(phrase).filter((w) => !FUNCTION_WORDS.has(w) && !FRAME_WORDS.has(w));
}

interface Source {
  readonly raw: string;
  readonly words: readonly string[];
  readonly stems: ReadonlySet<string>;
}

function indexSource(text: string): Source {
  const words = tokens(text);
  return { raw: normalise(text), words, stems: new Set(words.map(stem)) };
}

const matchesEntry = (x: string, entry: string): boolean =>
  entry.length < MIN_PREFIX ? x === entry : x.startsWith(entry);
const belongs = (word: string, entry: string): boolean => matchesEntry(word, entry) || matchesEntry(stem(word), entry);

function inSource(source: Source, word: string): boolean {
  const s = stem(word);
  if (source.stems.has(s) || source.words.includes(word)) return true;
  return s.length >= MIN_PREFIX && source.words.some((w) => w.startsWith(s));
}

function wordSupported(source: Source, word: string, truncated: boolean): boolean {
  if (NO_SPACE_SCRIPT.test(word)) return source.raw.includes(word);
  if (truncated && source.words.some((w) => w.startsWith(word))) return true;
  if (inSource(source, word)) return true;
  return SYNONYMS.some(
    (group) => group.some((e) => belongs(word, e)) && group.some((e) => source.words.some((w) => belongs(w, e))),
  );
}

/** The content words of `phrase` that `text` does not support; a last word cut by "…" may be a prefix. */
export function unsupportedWords(text: string, phrase: string): string[] {
  const source = indexSource(text);
  const cut = /\u2026\s*$/.test(phrase);
  const body = phrase.replace(/\u2026\s*$/, "");
  const last = tokens(body).at(-1);
  return contentWords(body).filter((w) => !wordSupported(source, w, cut && w === last));
}

export function supportedBy(text: string, phrase: string): boolean {
  return unsupportedWords(text, phrase).length === 0;
}

/** The text a title or description may draw on: the feedback and the item's own fields. */
export function supportSource(item: FeedbackItem): string {
  const rating = item.rating !== null ? `${item.rating}/5` : null;
  return [item.subject, item.text, item.device, item.appVersion, item.platform, rating].filter(Boolean).join("\n");
}
