import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCapstoneSample, loadDevSet } from "../../worker/agents/offline/dataset.js";
import { accuracy, f1For, reliability, score } from "../../worker/agents/offline/evaluate.js";
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
});
