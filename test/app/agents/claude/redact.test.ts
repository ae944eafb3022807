import { describe, expect, it } from "vitest";
import {
  findPii,
  ibanChecksumValid,
  luhnValid,
  PII_KINDS,
  type PiiKind,
  redactPii,
} from "../../../../app/agents/redact.js";
import { PII_SNIPPETS } from "../fixtures/pii-snippets.js";

interface Tally {
  tp: number;
  fp: number;
  fn: number;
}

/** Per kind: a true positive is an expected value found as one span of that kind. */
function evaluateRedactor(): { tallies: Record<PiiKind, Tally>; misses: string[]; falseHits: string[] } {
  const tallies = Object.fromEntries(PII_KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }])) as Record<PiiKind, Tally>;
  const misses: string[] = [];
  const falseHits: string[] = [];
  for (const snippet of PII_SNIPPETS) {
    const spans = findPii(snippet.text);
    const used = new Set<number>();
    for (const [kind, value] of snippet.pii) {
      const index = spans.findIndex((s, i) => !used.has(i) && s.kind === kind && s.value === value);
      if (index >= 0) {
        used.add(index);
        tallies[kind].tp += 1;
      } else {
        tallies[kind].fn += 1;
        misses.push(`${kind} ${JSON.stringify(value)} in ${JSON.stringify(snippet.text)} -> ${JSON.stringify(spans)}`);
      }
    }
    spans.forEach((s, i) => {
      if (used.has(i)) return;
      tallies[s.kind].fp += 1;
      falseHits.push(`${s.kind} ${JSON.stringify(s.value)} in ${JSON.stringify(snippet.text)}`);
    });
  }
  return { tallies, misses, falseHits };
}

describe("PII redactor", () => {
  it("has at least 100 labelled snippets covering every kind", () => {
    expect(PII_SNIPPETS.length).toBeGreaterThanOrEqual(100);
    for (const kind of PII_KINDS)
      expect(PII_SNIPPETS.filter((s) => s.pii.some(([k]) => k === kind)).length).toBeGreaterThanOrEqual(15);
  });

  it("finds >= 95% of each kind with few false hits", () => {
    const { tallies, misses, falseHits } = evaluateRedactor();
    const report = PII_KINDS.map((k) => {
      const t = tallies[k];
      const recall = t.tp / (t.tp + t.fn);
      const precision = t.tp / Math.max(1, t.tp + t.fp);
      return `${k}: recall ${(recall * 100).toFixed(1)}% (${t.tp}/${t.tp + t.fn}), precision ${(precision * 100).toFixed(1)}% (${t.fp} false)`;
    });
    console.log(
      `PII redactor on ${PII_SNIPPETS.length} snippets\n${report.join("\n")}\nmissed:\n${misses.join("\n")}\nfalse hits:\n${falseHits.join("\n")}`,
    );
    for (const kind of PII_KINDS) {
      const t = tallies[kind];
      expect(t.tp / (t.tp + t.fn), `${kind} recall`).toBeGreaterThanOrEqual(0.95);
      expect(t.tp / Math.max(1, t.tp + t.fp), `${kind} precision`).toBeGreaterThanOrEqual(0.9);
    }
  });

  it("replaces each value with its placeholder and keeps the rest of the text", () => {
    const r = redactPii(
      "Hi, I'm jane@example.com, call +1 415 555 0132, card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00. App 3.2.1 crashes.",
    );
    expect(r.text).toBe("Hi, I'm [EMAIL], call [PHONE], card [CARD], IBAN [IBAN]. App 3.2.1 crashes.");
    expect(r.counts).toEqual({ EMAIL: 1, IBAN: 1, CARD: 1, PHONE: 1 });
  });

  it("can be limited to some kinds", () => {
    expect(redactPii("mail a@b.io or call +44 20 7946 0958", { kinds: ["EMAIL"] }).text).toBe(
      "mail [EMAIL] or call +44 20 7946 0958",
    );
  });

  it("checks Luhn and mod-97", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(ibanChecksumValid("GB29NWBK60161331926819")).toBe(true);
    expect(ibanChecksumValid("GB28NWBK60161331926819")).toBe(false);
  });

  it("is fast: 20,000 review-sized texts in well under a second", () => {
    const texts = PII_SNIPPETS.map((s) => `${s.text} The app crashes on my iPhone 14 since 3.2.1, please fix it soon!`);
    const started = performance.now();
    let n = 0;
    for (let i = 0; i < 20_000; i++) n += redactPii(texts[i % texts.length]!).text.length;
    const ms = performance.now() - started;
    expect(n).toBeGreaterThan(0);
    expect(ms).toBeLessThan(2_000);
  });
});
