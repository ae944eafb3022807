import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectLanguage } from "../../../app/agents/offline/language.js";
import {
  isShortFixture,
  loadMultilingual,
  MULTILINGUAL,
  measureEnglish,
  REAL_DIR,
} from "../../../app/agents/offline/language-eval.js";

const sentences = loadMultilingual(MULTILINGUAL).filter((i) => !isShortFixture(i));
const LANGUAGES: [string, string][] = [
  ["de", "German"],
  ["fr", "French"],
  ["es", "Spanish"],
  ["pt", "Portuguese"],
  ["it", "Italian"],
  ["nl", "Dutch"],
  ["pl", "Polish"],
  ["tr", "Turkish"],
  ["ru", "Russian"],
  ["ja", "Japanese"],
  ["zh", "Chinese"],
  ["ko", "Korean"],
  ["ar", "Arabic"],
];

describe("language detection", () => {
  it.each([
    "Good app",
    "Love it!!",
    "crashes",
    "Great app!",
    "Awesome",
    "Works great on iPhone.",
    "Nice",
    "Like it alot",
    "Bestttt",
    "Samsung galaxy 4s Awesome",
  ])("reads the short English review %j as English, not Scots or Tagalog", (text) => {
    expect(detectLanguage(text).code).toBe("en");
  });

  it.each(LANGUAGES)("detects %s (%s) in every review of the fixture written in it", (code, name) => {
    const reviews = sentences.filter((s) => s.language === code);
    expect(reviews.length).toBeGreaterThanOrEqual(6);
    for (const r of reviews) expect([r.id, detectLanguage(r.text).code]).toEqual([r.id, code]);
    expect(detectLanguage(reviews[0]!.text).name).toBe(name);
  });

  it("detects German in the crash report that became a Complaint", () => {
    const guess = detectLanguage("Die App stürzt seit dem letzten Update jedes Mal beim Öffnen ab");
    expect([guess.code, guess.name, guess.notEnglish]).toEqual(["de", "German", true]);
  });

  it.each(["!!!", ":)", "12345", "😍😍"])("claims no language for %j, which has no letters", (text) => {
    expect(detectLanguage(text)).toMatchObject({ code: "und", notEnglish: false });
  });

  it("claims no language for a few letters that are no English words", () => {
    expect(detectLanguage("Pacman Gosts").code).toBe("und");
  });

  it("marks a short text with letters outside English's alphabet as not English, even when undetermined", () => {
    expect(detectLanguage("Çok güzel")).toMatchObject({ code: "und", notEnglish: true });
  });

  it.skipIf(!existsSync(REAL_DIR))("reads >= 99.5% of the real English review rows as English", () => {
    const m = measureEnglish();
    expect(m.sentences).toBeGreaterThan(8000);
    expect(m.sentencesEnglish / m.sentences).toBeGreaterThanOrEqual(0.995);
  });
});
