/**
 * Text helpers shared by the offline crew: normalisation, cue scanning and the scope checks that keep
 * "no crash since the update" or "thanks for fixing the bug" from counting as a crash or a bug.
 */

/** A weighted pattern. `negatable` cues are ignored when a negator or a "fixed" precedes them. */
export interface Cue {
  readonly id: string;
  readonly weight: number;
  readonly re: RegExp;
  readonly negatable: boolean;
}

export function cue(id: string, weight: number, re: RegExp, negatable = true): Cue {
  const flags = re.flags.includes("g") ? re.flags : `${re.flags}g`;
  return { id, weight, re: new RegExp(re.source, flags), negatable };
}

export interface Hit {
  readonly id: string;
  readonly weight: number;
  readonly index: number;
  readonly match: string;
}

export interface ScanResult {
  readonly hits: Hit[];
  /** Cues found but negated, hedged away or resolved ("never crashes", "fixed the bug"). */
  readonly negated: Hit[];
}

/** Lower-cases, unifies apostrophes/quotes and collapses whitespace; positions stay meaningful. */
export function normalise(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
    .replace(/[\u201c\u201d\u201e]/g, '"')
    .replace(/[\u2013\u2014]/g, "-")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

const NEGATORS = new Set([
  "no",
  "not",
  "never",
  "without",
  "zero",
  "nor",
  "none",
  "neither",
  "hardly",
  "rarely",
  "barely",
  "cant",
  "dont",
  "doesnt",
  "didnt",
  "wont",
  "isnt",
  "wasnt",
  "havent",
  "hasnt",
  "hadnt",
  "arent",
  "werent",
  "couldnt",
  "wouldnt",
  "shouldnt",
  "aint",
  "fixed",
  "fixing",
  "fixes",
  "resolved",
  "resolving",
  "solved",
  "sorted",
  "eliminated",
  "addressed",
  "patched",
]);
const HEDGES = new Set([
  "considering",
  "consider",
  "thinking",
  "might",
  "maybe",
  "perhaps",
  "possibly",
  "contemplating",
]);
const CLAUSE_BREAK = /[.!?;:\n]|,\s*but\b|\bbut\b|\bhowever\b|\bexcept\b|\buntil\b/g;

function clauseBefore(text: string, index: number): string {
  const start = Math.max(0, index - 60);
  const window = text.slice(start, index);
  let cut = 0;
  CLAUSE_BREAK.lastIndex = 0;
  for (let m = CLAUSE_BREAK.exec(window); m; m = CLAUSE_BREAK.exec(window)) cut = m.index + m[0].length;
  return window.slice(cut);
}

function lastWords(fragment: string, count: number): string[] {
  const words = fragment.split(/[^a-z']+/).filter(Boolean);
  return words.slice(-count).map((w) => w.replace(/'/g, ""));
}

/** True when one of the three words before `index` (same clause) negates what follows. */
export function isNegatedAt(text: string, index: number): boolean {
  return lastWords(clauseBefore(text, index), 3).some((w) => NEGATORS.has(w));
}

/** True for "considering requesting a refund", "might ask for my money back". */
export function isHedgedAt(text: string, index: number): boolean {
  return lastWords(clauseBefore(text, index), 3).some((w) => HEDGES.has(w));
}

const RESOLVED_AFTER =
  /^(?:[^.!?;]{0,40}?\b(?:was|is|got|been|are|were|now|finally|has been|have been) (?:fixed|resolved|solved|gone|sorted)\b|(?:-| )free\b|,? (?:fixed|resolved|solved)\b)/;
const NOT_RESOLVED = /\b(?:not|never|n't|still|yet)\b/;

/** True for "the bug with the calendar was fixed" and "bug-free" (looking after the cue). */
export function isResolvedAfter(text: string, end: number): boolean {
  const after = text.slice(end, end + 48);
  const m = RESOLVED_AFTER.exec(after);
  return m !== null && !NOT_RESOLVED.test(m[0]);
}

/** Repeats of one cue add less than the first occurrence ("bad, bad, bad" is not three complaints). */
const MAX_HITS_PER_CUE = 3;
const REPEAT_WEIGHT = 0.4;

export function scan(text: string, cues: readonly Cue[]): ScanResult {
  const hits: Hit[] = [];
  const negated: Hit[] = [];
  for (const c of cues) {
    c.re.lastIndex = 0;
    let found = 0;
    let negatedHit: Hit | undefined;
    for (let m = c.re.exec(text); m && found < MAX_HITS_PER_CUE; m = c.re.exec(text)) {
      if (m[0].length === 0) {
        c.re.lastIndex++;
        continue;
      }
      const hit = { id: c.id, weight: c.weight, index: m.index, match: m[0] };
      const off = c.negatable && (isNegatedAt(text, m.index) || isResolvedAfter(text, m.index + m[0].length));
      if (off) negatedHit ??= hit;
      else hits.push(found++ === 0 ? hit : { ...hit, weight: c.weight * REPEAT_WEIGHT });
    }
    if (found === 0 && negatedHit) negated.push(negatedHit);
  }
  return { hits, negated };
}

export const sumWeights = (hits: readonly Hit[]): number => hits.reduce((s, h) => s + h.weight, 0);

/** Sentences of the original text (keeps case), for titles, steps and quotes. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

export function capitalise(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}
