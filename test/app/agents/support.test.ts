import { describe, expect, it } from "vitest";
import { contentWords, stem, supportedBy, unsupportedWords } from "../../../app/agents/offline/support.js";

const GERMAN_CRASH = "Die App stürzt seit dem letzten Update jedes Mal beim Öffnen ab";

describe("supportedBy: a phrase may only name what the text mentions", () => {
  it("rejects the template that titled the German crash report", () => {
    expect(supportedBy(GERMAN_CRASH, "Unhappy with redesign")).toBe(false);
    expect(unsupportedWords(GERMAN_CRASH, "Unhappy with redesign")).toEqual(["redesign"]);
    expect(supportedBy(GERMAN_CRASH, "Crash")).toBe(false);
    expect(supportedBy(GERMAN_CRASH, GERMAN_CRASH)).toBe(true);
  });

  it.each([
    ["The app crashes every time", "Crash"],
    ["it keeps crashing", "Crash on profile page", false],
    ["I was billed twice this month", "Charged twice"],
    ["keeps logging me out", "Login failure"],
    ["won't sync with my watch", "Sync failure"],
    ["Way too expensive", "Unhappy with pricing"],
    ["Your support agent was rude", "Unhappy with customer support"],
    ["I want my money back", "Refund requested"],
  ])("%s supports %s", (text, phrase, expected = true) => {
    expect(supportedBy(text, phrase)).toBe(expected);
  });

  it("treats ticket frames and function words as needing no support", () => {
    expect(contentWords("Bug report from app store review")).toEqual([]);
    expect(contentWords("Sync not working after 3.2.1 (iOS 17)")).toEqual(["sync", "3.2.1", "ios", "17"]);
  });

  it("matches inflections by a light stem", () => {
    expect(["crashes", "crashed", "crashing", "crash"].map(stem)).toEqual(["crash", "crash", "crash", "crash"]);
    expect(stem("billing")).toBe(stem("billed"));
    expect(stem("freezes")).toBe(stem("freeze"));
  });

  it("accepts a quote in any script, and a last word cut by an ellipsis", () => {
    expect(supportedBy("アップデート後、アプリが起動しません。", "アップデート後、アプリが起動…")).toBe(true);
    expect(supportedBy("Приложение вылетает после обновления", "Приложение вылетает")).toBe(true);
    expect(supportedBy("synchronisation is broken again", "Synchronis\u2026")).toBe(true);
    expect(supportedBy("Love this app...thank you", "Love this app.thank you")).toBe(true);
  });
});
