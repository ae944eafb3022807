/**
 * Which language a feedback text is written in, offline: the shipped n-gram detector `eld` (Apache-2.0, its
 * data is bundled in the package, nothing is downloaded) checked against English words. Detectors are weak on
 * short texts ("Good app" comes out Danish or Tagalog), and app reviews are often short, so:
 * - a Latin-script text that is at least half English words (our list, or words inside a cue of the crew's
 *   lexicons) is English, whatever the detector says; so is one the detector calls English;
 * - a short plain-ASCII text with a third of its words English is English;
 * - below MIN_LETTERS letters, or when the detector is not sure, nothing else is claimed: "und" (undetermined);
 * - otherwise the detector decides. Texts in another script (Cyrillic, CJK, Hangul, Arabic...) are never English.
 * app/agents/offline/README.md ("Languages") gives the measured figures.
 */
import { eld } from "eld/extrasmall";
import { BUG_CUES } from "./lexicon/bug.js";
import { FEATURE_CUES } from "./lexicon/feature.js";
import { COMPLAINT_CUES, PRAISE_CUES } from "./lexicon/sentiment.js";
import { type Cue, normalise } from "./text.js";

/** ISO 639-1 code ("en", "de"), or "und" when the text does not say. */
export type LanguageCode = string;
export const UNDETERMINED = "und";

export interface LanguageGuess {
  /** ISO 639-1 code, or "und". */
  readonly code: LanguageCode;
  /** English name of the language ("German"), or null for "und". */
  readonly name: string | null;
  /** What decided: the English word check, the detector, or too little text. */
  readonly decidedBy: "english-words" | "detector" | "too-short" | "no-letters";
  /** Share of the Latin-script words that are English function words or lexicon cue words. */
  readonly englishShare: number;
  /**
   * Not English even when the language is undetermined: most letters are not Latin (Cyrillic, CJK, Hangul,
   * Arabic...), or no word is English and letters outside English's alphabet appear ("Très bien", "Çok güzel").
   */
  readonly notEnglish: boolean;
}

/** Fewer letters than this (and not English by its words) is too little for the detector to be trusted. */
export const MIN_LETTERS = 20;
/** From this share of English words a Latin-script text is English. */
export const ENGLISH_SHARE = 0.5;
/** Below twice MIN_LETTERS: a plain-ASCII text with this share of English words is English. */
export const SHORT_ENGLISH_SHARE = 1 / 3;

/**
 * Frequent English words that are rarely words of the other languages we see (so not "die", "also", "in",
 * "was", "see", "man", "war", "fin", "son", "sale"): articles, pronouns, auxiliaries, prepositions, and the
 * commonest review words.
 */
const ENGLISH_WORDS = new Set(
  `the a an and or but if then than so because while of to for with from by on at into onto about after before
  over under up down out off again too very just only also really still even ever never not no nor yes
  i me my mine we us our you your yours he him his she her it its they them their this that these those what which
  who whom whose where when why how all any both each few more most other some such own same can could
  will would shall should may might must do does did doing done don't doesn't didn't can't cannot won't isn't
  aren't wasn't weren't haven't hasn't hadn't couldn't wouldn't shouldn't i'm i've i'd i'll it's that's there's
  you're we're they're let's is are was were be been being have has had having get gets got getting make makes
  made use used using like likes liked love loved loves want wants wanted need needs needed please thank thanks
  good great nice best better bad worse worst awesome amazing excellent cool fun easy hard fast slow
  app apps game games update updates updated phone version time times day days every always sometimes
  work works worked working fix fixed crash crashes crashed crashing keep keeps open opens close closes
  there here now new old one two much many lot lots well way thing things people would it'll
  hello hi hey ok okay yay wow ugh lol omg wtf haha sad happy crazy weird shame bummer boring annoying useless
  stupid terrible horrible awful poor cute sweet epic fine perfect wonderful fantastic brilliant superb stars star
  thanks thx tnx pls plz u ur r y gud nyc nic gr8 luv wins win won lost lose loses losing play playing played
  fun funny addictive addicting interface design feature features option options setting settings screen
  button buttons photo photos picture pictures video videos message messages text texts chat call calls sound
  account login password email notification notifications ads ad free paid pay money price worth support
  response instant international comments comment review reviews rating level levels download downloaded
  install installed uninstall delete deleted sync save saved saving load loading lag laggy slow slowly glitch
  glitchy bug bugs freeze freezes froze problem problems issue issues error errors broken fixed
  warning hurray awesome useful helpful helpfull usefull recommend easy simple quick smooth sloppy
  go goes going gone come comes came see saw seen look looks looking try tried trying think thought know knew
  say says said tell told give gave find found take took put show shows shown start starts started stop stops
  stopped keep kept turn turns turned run runs running ran let lets help helps helped wish wishes hope
  everything something nothing anything everyone someone nobody anyone yet already since until though although
  whenever however maybe probably actually definitely totally especially almost enough quite pretty
  super yeah yep nope guys man welcome argh huh boo jk ps wth awsm awsum hate dark place week delay title states
  speed speeds portrait ghost superhero sexy airline pilot`.split(/\s+/),
);

/** "Bestttt", "Niiiiice", "sloooow": letters repeated three times or more, read as one and as two. */
const isEnglishWord = (word: string): boolean =>
  ENGLISH_WORDS.has(word) ||
  ENGLISH_WORDS.has(word.replace(/(\p{L})\1{2,}/gu, "$1")) ||
  ENGLISH_WORDS.has(word.replace(/(\p{L})\1{2,}/gu, "$1$1"));

const CUE_LEXICONS: readonly (readonly Cue[])[] = [BUG_CUES, FEATURE_CUES, PRAISE_CUES, COMPLAINT_CUES];

const LATIN_WORD = /[\p{Script=Latin}][\p{Script=Latin}'’]*/gu;
const LETTER = /\p{L}/gu;
const LATIN_LETTER = /\p{Script=Latin}/gu;

const displayNames = new Intl.DisplayNames(["en"], { type: "language" });

/** English name of an ISO 639-1 code ("de" -> "German"), or the code itself if the runtime has no name. */
export function languageName(code: LanguageCode): string {
  try {
    return displayNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Share of Latin-script words that are English words of our list or, `withCues`, fall inside an English cue of
 * the lexicons (the costly part: every cue is scanned).
 */
export function englishWordShare(text: string, withCues = true): number {
  const lower = normalise(text);
  const words = [...lower.matchAll(LATIN_WORD)];
  const covered: [number, number][] = [];
  if (withCues)
    for (const cues of CUE_LEXICONS)
      for (const c of cues)
        for (const m of lower.matchAll(c.re)) if (m[0].length > 0) covered.push([m.index, m.index + m[0].length]);
  let english = 0;
  let counted = words.length;
  for (const w of words) {
    const start = w.index;
    if (isEnglishWord(w[0]) || covered.some(([s, e]) => start >= s && start < e)) english++;
    else if (w[0].length === 1) counted--; // "4s", "S4": a letter of a model name is no word
  }
  return counted > 0 ? english / counted : 0;
}

function guess(
  code: LanguageCode,
  decidedBy: LanguageGuess["decidedBy"],
  englishShare: number,
  notEnglish = code !== "en" && code !== UNDETERMINED,
): LanguageGuess {
  return { code, name: code === UNDETERMINED ? null : languageName(code), decidedBy, englishShare, notEnglish };
}

/** Detects the language of one feedback text (and subject, when given). Deterministic, offline. */
export function detectLanguage(text: string, subject?: string | null): LanguageGuess {
  const full = subject ? `${subject}\n${text}` : text;
  const letters = full.match(LETTER)?.length ?? 0;
  if (letters === 0) return guess(UNDETERMINED, "no-letters", 0);
  const latinLetters = full.match(LATIN_LETTER)?.length ?? 0;
  const mostlyLatin = latinLetters / letters >= 0.5;
  if (!mostlyLatin) {
    // Another script: a few characters can be enough (CJK packs a word in one or two), when the detector is sure.
    const detected = eld.detect(full);
    return /^[a-z]{2}$/.test(detected.language) && detected.language !== "en" && detected.isReliable()
      ? guess(detected.language, "detector", 0, true)
      : guess(UNDETERMINED, "too-short", 0, true);
  }
  // Cheapest first: words of our list, then the detector, then the cue lexicons.
  const listed = englishWordShare(full, false);
  if (listed >= ENGLISH_SHARE) return guess("en", "english-words", listed);
  const detected = eld.detect(full);
  const code = /^[a-z]{2}$/.test(detected.language) ? detected.language : null;
  if (code === "en") return guess("en", "detector", listed);
  const englishShare = englishWordShare(full);
  if (englishShare >= ENGLISH_SHARE) return guess("en", "english-words", englishShare);
  // Short texts: the detector reads brand names and slang as anything ("Samsung galaxy 4s Awesome" as German).
  // Plain ASCII with a third of its words English reads as English; below MIN_LETTERS nothing else is claimed.
  const plainAscii = !/[^a-z]/i.test(full.replace(/[^\p{L}]/gu, ""));
  if (plainAscii && letters < 2 * MIN_LETTERS && englishShare >= SHORT_ENGLISH_SHARE)
    return guess("en", "english-words", englishShare);
  if (letters < MIN_LETTERS || !code || !detected.isReliable())
    return guess(UNDETERMINED, "too-short", englishShare, englishShare === 0 && !plainAscii);
  return guess(code, "detector", englishShare);
}
