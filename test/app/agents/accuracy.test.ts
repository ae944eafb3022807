import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCapstoneSample, loadDevSet } from "../../../app/agents/offline/dataset.js";
import { accuracy, f1For, reliability, score } from "../../../app/agents/offline/evaluate.js";
import { fixture, repoRoot, seededConfig } from "./factories.js";

const SAMPLE_DIR = path.resolve(repoRoot, "../shared/data/capstone-dev");

describe("accuracy of the offline crew", () => {
  it.skipIf(!existsSync(SAMPLE_DIR))("reaches >= 95% category and >= 85% priority on the capstone sample", () => {
    const scored = score(loadCapstoneSample(SAMPLE_DIR), seededConfig());
    expect(scored).toHaveLength(50);
    const a = accuracy(scored);
    expect(a.category).toBeGreaterThanOrEqual(0.95);
    expect(a.priority).toBeGreaterThanOrEqual(0.85);
  });

  it("keeps its accuracy floor on the hand-written dev set (rule-tuning and held-out rows)", () => {
    const scored = score(loadDevSet(fixture("dev-set.csv")), seededConfig());
    expect(scored.length).toBeGreaterThanOrEqual(700);
    const a = accuracy(scored);
    expect(a.category).toBeGreaterThanOrEqual(0.97);
    expect(a.priority).toBeGreaterThanOrEqual(0.95);
    expect(f1For(scored, "Bug").f1).toBeGreaterThanOrEqual(0.97);
  });

  it("keeps its floor on the untuned calibration set, where high confidence stays trustworthy", () => {
    const scored = score(loadDevSet(fixture("calibration-set.csv")), seededConfig());
    const a = accuracy(scored);
    expect(a.category).toBeGreaterThanOrEqual(0.85);
    expect(a.priority).toBeGreaterThanOrEqual(0.78);
    expect(f1For(scored, "Bug").f1).toBeGreaterThanOrEqual(0.88);
    const [doubtful, confident] = reliability(scored, [0, 0.9, 1]);
    expect(confident!.n).toBeGreaterThanOrEqual(60);
    expect(confident!.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(doubtful!.accuracy).toBeLessThan(confident!.accuracy);
  });

  // Independent hand-written sets (see app/agents/offline/README.md, "Data and training").
  // holdout-set.csv was measured before tuning and then used to find error patterns; holdout2-set.csv was
  // written after tuning and never tuned on. Floors sit a little below the measured figures.
  const holdoutFloors = [
    ["holdout-set.csv", { n: 520, category: 0.97, priority: 0.94, bugF1: 0.97 }],
    ["holdout2-set.csv", { n: 100, category: 0.93, priority: 0.89, bugF1: 0.92 }],
  ] as const;
  for (const [file, floor] of holdoutFloors) {
    it(`keeps its floor on ${file} (real-style app-store reviews and support e-mails)`, () => {
      const items = loadDevSet(fixture(file));
      expect(items.length).toBeGreaterThanOrEqual(floor.n);
      const scored = score(items, seededConfig());
      const a = accuracy(scored);
      expect(a.category).toBeGreaterThanOrEqual(floor.category);
      expect(a.priority).toBeGreaterThanOrEqual(floor.priority);
      const reviews = new Set(items.filter((l) => l.item.sourceType === "app_store_review").map((l) => l.id));
      expect(
        f1For(
          scored.filter((s) => reviews.has(s.id)),
          "Bug",
        ).f1,
      ).toBeGreaterThanOrEqual(floor.bugF1);
    });
  }
});
