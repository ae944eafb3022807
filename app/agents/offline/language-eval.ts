/**
 * Measures `detectLanguage` (see language-report.ts for the printed figures):
 * - on the real review sentences of ../shared/data/feedback-classification: the share detected as English, over
 *   all rows and over the English rows, i.e. without the rows listed in
 *   test/app/agents/fixtures/real-not-english.csv (hand-checked: another language, no words, or only names,
 *   device models and contact details);
 * - on test/app/agents/fixtures/multilingual-reviews.csv (hand-written reviews in 13 languages, a sentence or two
 *   each, plus one to three word reviews with ids ending in "-7"): the share detected right.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { detectLanguage, UNDETERMINED } from "./language.js";
import { REAL_FILES } from "./real-data.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");
export const REAL_DIR = path.resolve(ROOT, "../shared/data/feedback-classification");
export const NOT_ENGLISH = path.join(ROOT, "test/app/agents/fixtures/real-not-english.csv");
export const MULTILINGUAL = path.join(ROOT, "test/app/agents/fixtures/multilingual-reviews.csv");

type Row = Record<string, string>;
const readCsv = (file: string): Row[] =>
  parse(readFileSync(file), { columns: true, skip_empty_lines: true, bom: true, relax_quotes: true }) as Row[];

export interface Miss {
  readonly id: string;
  readonly code: string;
  readonly text: string;
}

export interface EnglishMeasure {
  readonly rows: number;
  readonly rowsEnglish: number;
  /** Rows left out as not English (real-not-english.csv). */
  readonly excluded: number;
  readonly sentences: number;
  readonly sentencesEnglish: number;
  /** English rows that were not detected as English. */
  readonly misses: readonly Miss[];
}

export function measureEnglish(realDir = REAL_DIR, notEnglishFile = NOT_ENGLISH): EnglishMeasure {
  const excluded = new Set(readCsv(notEnglishFile).map((r) => `${r.file}:${r.row}`));
  let rows = 0;
  let rowsEnglish = 0;
  let sentences = 0;
  let sentencesEnglish = 0;
  const misses: Miss[] = [];
  for (const file of REAL_FILES) {
    readCsv(path.join(realDir, file)).forEach((row, index) => {
      const text = (row.reviews ?? "").trim();
      if (!text) return;
      const id = `${file}:${index + 1}`;
      const english = detectLanguage(text).code === "en";
      rows++;
      if (english) rowsEnglish++;
      if (excluded.has(id)) return;
      sentences++;
      if (english) sentencesEnglish++;
      else misses.push({ id, code: detectLanguage(text).code, text });
    });
  }
  return { rows, rowsEnglish, excluded: rows - sentences, sentences, sentencesEnglish, misses };
}

export interface MultilingualMeasure {
  readonly items: number;
  readonly languages: number;
  readonly right: number;
  readonly undetermined: number;
  readonly takenForEnglish: number;
  readonly misses: readonly Miss[];
}

export interface LabelledText {
  readonly id: string;
  readonly language: string;
  readonly category: string;
  readonly text: string;
}

export function loadMultilingual(file = MULTILINGUAL): LabelledText[] {
  return readCsv(file).map((r) => ({
    id: r.id ?? "",
    language: r.language ?? "",
    category: r.category ?? "",
    text: r.text ?? "",
  }));
}

export function measureMultilingual(items: readonly LabelledText[]): MultilingualMeasure {
  let right = 0;
  let undetermined = 0;
  let takenForEnglish = 0;
  const misses: Miss[] = [];
  for (const item of items) {
    const { code } = detectLanguage(item.text);
    if (code === item.language) right++;
    else {
      if (code === UNDETERMINED) undetermined++;
      if (code === "en") takenForEnglish++;
      misses.push({ id: item.id, code, text: item.text });
    }
  }
  const languages = new Set(items.map((i) => i.language)).size;
  return { items: items.length, languages, right, undetermined, takenForEnglish, misses };
}

/** The one-to-three word reviews of the multilingual fixture (ids ending in "-7"); the rest are sentences. */
export const isShortFixture = (item: LabelledText): boolean => item.id.endsWith("-7");
