/**
 * Fits the confidence calibration of the offline classifier and prints accuracy reports.
 *
 *   npx jiti worker/agents/offline/train.ts            # fit the calibration, write the JSON, print reports
 *   npx jiti worker/agents/offline/train.ts --dry-run  # report only
 *   npx jiti worker/agents/offline/train.ts --errors   # also list misclassified rule-tuning rows
 *
 * (Or `npm run build && node dist/worker/agents/offline/train.js`.) Run from the repository root.
 * The calibration is fitted on test/agents/fixtures/calibration-set.csv (never used to tune the rules);
 * its reliability is reported out-of-fold (fit on one half, score the other, both ways).
 * Deterministic: fixed splits, zero initialisation, fixed iteration count.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { CALIBRATION_FEATURES, type CalibrationModel, calibrationFeatures } from "./calibration.js";
import { traceDecision } from "./classifier.js";
import { isHeldOut, type LabelledItem, loadCapstoneSample, loadDevSet, SEEDED_CONFIGURATION } from "./dataset.js";
import { accuracy, f1For, formatAccuracy, formatReliability, reliability, type Scored, score } from "./evaluate.js";
import { gatherEvidence } from "./evidence.js";

const ROOT = process.cwd();
const DEV_SET = path.join(ROOT, "test/agents/fixtures/dev-set.csv");
/** Items written after the rules were tuned and never used to tune them: only for fitting the calibration. */
const CALIBRATION_SET = path.join(ROOT, "test/agents/fixtures/calibration-set.csv");
const SAMPLE_DIR = path.resolve(ROOT, "../shared/data/capstone-dev");
const OUTPUT = path.join(ROOT, "worker/agents/data/calibration.json");
const L2 = 0.02;
const STEPS = 4000;
const RATE = 0.3;

function fitLogistic(xs: number[][], ys: number[]): CalibrationModel {
  const d = CALIBRATION_FEATURES.length;
  const w = new Array<number>(d).fill(0);
  let b = 0;
  for (let step = 0; step < STEPS; step++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      let z = b;
      for (let j = 0; j < d; j++) z += w[j]! * x[j]!;
      const err = 1 / (1 + Math.exp(-z)) - ys[i]!;
      for (let j = 0; j < d; j++) gw[j]! += err * x[j]!;
      gb += err;
    }
    for (let j = 0; j < d; j++) w[j] = w[j]! - RATE * (gw[j]! / xs.length + L2 * w[j]!);
    b -= RATE * (gb / xs.length);
  }
  const round = (n: number) => Math.round(n * 10000) / 10000;
  return { features: [...CALIBRATION_FEATURES], weights: w.map(round), bias: round(b) };
}

function examples(items: readonly LabelledItem[]): { xs: number[][]; ys: number[] } {
  const xs: number[][] = [];
  const ys: number[] = [];
  for (const l of items) {
    const trace = traceDecision(l.item, gatherEvidence(l.item));
    xs.push(calibrationFeatures(trace));
    ys.push(trace.category === l.category ? 1 : 0);
  }
  return { xs, ys };
}

/** Fits on one half and scores the other, both ways: every calibration row gets an out-of-fold confidence. */
function crossFitted(rows: readonly LabelledItem[]): Scored[] {
  const out: Scored[] = [];
  for (const fold of [0, 1]) {
    const fit = rows.filter((_, i) => i % 2 !== fold);
    const test = rows.filter((_, i) => i % 2 === fold);
    const { xs, ys } = examples(fit);
    out.push(...score(test, SEEDED_CONFIGURATION, fitLogistic(xs, ys)));
  }
  return out;
}

function main(): void {
  const args = new Set(process.argv.slice(2));
  const dev = loadDevSet(DEV_SET);
  const untuned = loadDevSet(CALIBRATION_SET);
  const { xs, ys } = examples(untuned);
  const model = fitLogistic(xs, ys);
  if (!args.has("--dry-run")) writeFileSync(OUTPUT, `${JSON.stringify(model, null, 2)}\n`);
  console.log(`calibration ${args.has("--dry-run") ? "(not written)" : `written to ${path.relative(ROOT, OUTPUT)}`}:`, JSON.stringify(model));

  const config = SEEDED_CONFIGURATION;
  const scoredDev = score(dev, config, model);
  const devTuning = scoredDev.filter((_, i) => !isHeldOut(i));
  const devHeld = scoredDev.filter((_, i) => isHeldOut(i));
  const scoredUntuned = score(untuned, config, model);
  console.log(formatAccuracy("dev set (rule-tuning rows)", accuracy(devTuning)));
  console.log(formatAccuracy("dev set (held-out rows)", accuracy(devHeld)));
  console.log(formatAccuracy("dev set (all)", accuracy(scoredDev)));
  console.log(formatAccuracy("calibration set (untuned)", accuracy(scoredUntuned)));
  for (const [label, rows] of [["dev set", scoredDev], ["calibration set", scoredUntuned]] as const) {
    const bug = f1For(rows, "Bug");
    console.log(`${label} bug-report F1 ${bug.f1.toFixed(3)} (precision ${bug.precision.toFixed(3)}, recall ${bug.recall.toFixed(3)})`);
  }
  try {
    const sample = score(loadCapstoneSample(SAMPLE_DIR), config, model);
    console.log(formatAccuracy("capstone sample", accuracy(sample)));
    if (args.has("--errors")) {
      for (const s of sample.filter((x) => x.category !== x.expectedCategory || x.priority !== x.expectedPriority)) {
        console.log(`  sample ${s.id}: got ${s.category}/${s.priority}, expected ${s.expectedCategory}/${s.expectedPriority}`);
      }
    }
  } catch (error) {
    console.log(`capstone sample not available: ${(error as Error).message}`);
  }
  console.log("\nreliability, calibration set, out-of-fold (2-fold cross-fitting, untuned rows):");
  console.log(formatReliability(reliability(crossFitted(untuned))));
  console.log("\nreliability, dev set held-out rows (shipped calibration):");
  console.log(formatReliability(reliability(devHeld)));
  if (args.has("--errors")) {
    console.log("\nmisclassified rule-tuning rows (dev set only):");
    for (const s of devTuning.filter((x) => x.category !== x.expectedCategory || x.priority !== x.expectedPriority)) {
      console.log(`  ${s.id} got ${s.category}/${s.priority} (${s.confidence}), expected ${s.expectedCategory}/${s.expectedPriority}: ${s.text.slice(0, 110)}`);
    }
  }
}

main();
