import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  applyIsotonic,
  calibratedConfidence,
  type DecisionTrace,
  FALLBACK_MAX_CONFIDENCE,
  fitIsotonic,
} from "../../../app/agents/offline/calibration.js";
import { repoRoot } from "./factories.js";

const trace = (over: Partial<DecisionTrace> = {}): DecisionTrace => ({
  category: "Bug",
  decidedBy: "malfunction",
  winner: 5,
  runnerUp: 0,
  rating: 1,
  words: 12,
  sarcasm: false,
  hasSubject: false,
  textProbability: 0.9,
  ...over,
});

describe("confidence calibration", () => {
  it("isotonic map: non-decreasing, equal to the observed accuracy per block, flat outside", () => {
    // 40 points at score 0.2 (25% right), 40 at 0.5 (50% right), 40 at 0.8 (90% right)
    const points = [
      ...Array.from({ length: 40 }, (_, i) => ({ score: 0.2, y: i < 10 ? 1 : 0 })),
      ...Array.from({ length: 40 }, (_, i) => ({ score: 0.5, y: i < 20 ? 1 : 0 })),
      ...Array.from({ length: 40 }, (_, i) => ({ score: 0.8, y: i < 36 ? 1 : 0 })),
    ];
    const map = fitIsotonic(points, 25);
    expect(map.x).toEqual([0.2, 0.5, 0.8]);
    expect(map.y).toEqual([0.25, 0.5, 0.9]);
    expect(applyIsotonic(map, 0.1)).toBe(0.25);
    expect(applyIsotonic(map, 0.95)).toBe(0.9);
    expect(applyIsotonic(map, 0.65)).toBeCloseTo(0.7);
  });

  it("pools a decreasing pair and merges blocks smaller than the minimum", () => {
    const points = [
      ...Array.from({ length: 30 }, (_, i) => ({ score: 0.3, y: i < 24 ? 1 : 0 })), // 80%
      ...Array.from({ length: 30 }, (_, i) => ({ score: 0.6, y: i < 12 ? 1 : 0 })), // 40%: pooled with 0.3
      ...Array.from({ length: 5 }, () => ({ score: 0.9, y: 1 })), // too few: joins its neighbour
    ];
    const map = fitIsotonic(points, 25);
    expect(map.y).toHaveLength(1);
    expect(map.y[0]).toBeCloseTo(41 / 65, 3);
    for (let i = 1; i < map.y.length; i++) expect(map.y[i]!).toBeGreaterThanOrEqual(map.y[i - 1]!);
  });

  it("the shipped calibration caps a rating-only guess and keeps confidence in [0, 1]", () => {
    expect(calibratedConfidence(trace({ decidedBy: "fallback", winner: 0 }))).toBeLessThanOrEqual(
      FALLBACK_MAX_CONFIDENCE,
    );
    for (const category of ["Bug", "Feature Request", "Praise", "Complaint"] as const) {
      const c = calibratedConfidence(trace({ category }));
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(1);
    }
    // more evidence and agreement never lowers the confidence of the same decision
    expect(calibratedConfidence(trace({ winner: 8, textProbability: 0.99 }))).toBeGreaterThanOrEqual(
      calibratedConfidence(trace({ winner: 3, textProbability: 0.5 })),
    );
  });
});

describe("NOTICE", () => {
  it("ships the CC-BY-4.0 attribution of the real review data the model was trained on", () => {
    const file = path.join(repoRoot, "NOTICE");
    expect(existsSync(file)).toBe(true);
    const notice = readFileSync(file, "utf8");
    for (const needed of [
      "Mekala",
      "Lindvall",
      "Classifying User Requirements from Online Feedback",
      "Jl-wei/feedback-classification",
      "https://creativecommons.org/licenses/by/4.0/",
      "converted from xlsx to CSV",
      "rows were removed",
    ])
      expect(notice).toContain(needed);
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { files: string[] };
    expect(pkg.files).toContain("NOTICE");
  });
});
