/**
 * Fits the confidence calibration of the offline classifier and prints accuracy reports.
 *
 *   npx jiti worker/agents/offline/train.ts            # fit on the dev set's training rows, write the JSON
 *   npx jiti worker/agents/offline/train.ts --dry-run  # report only
 *   npx jiti worker/agents/offline/train.ts --errors   # also list misclassified training rows
 *
 * (Or `npm run build && node dist/worker/agents/offline/train.js`.) Run from the repository root.
 * Deterministic: fixed split (every 4th row held out), zero initialisation, fixed iteration count.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { CALIBRATION_FEATURES, type CalibrationModel, calibrationFeatures } from "./calibration.js";
import { traceDecision } from "./classifier.js";
import { isHeldOut, type LabelledItem, loadCapstoneSample, loadDevSet, SEEDED_CONFIGURATION } from "./dataset.js";
import { accuracy, f1For, formatAccuracy, formatReliability, reliability, score } from "./evaluate.js";
import { gatherEvidence } from "./evidence.js";

const ROOT = process.cwd();
const DEV_SET = path.join(ROOT, "test/agents/fixtures/dev-set.csv");
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

function main(): void {
  const args = new Set(process.argv.slice(2));
  const dev = loadDevSet(DEV_SET);
  const train = dev.filter((_, i) => !isHeldOut(i));
  const heldOut = dev.filter((_, i) => isHeldOut(i));
  const { xs, ys } = examples(train);
  const model = fitLogistic(xs, ys);
  if (!args.has("--dry-run")) writeFileSync(OUTPUT, `${JSON.stringify(model, null, 2)}\n`);
  console.log(`calibration ${args.has("--dry-run") ? "(not written)" : `written to ${path.relative(ROOT, OUTPUT)}`}:`, JSON.stringify(model));

  const config = SEEDED_CONFIGURATION;
  const scoredTrain = score(train, config, model);
  const scoredHeld = score(heldOut, config, model);
  console.log(formatAccuracy("dev set (training rows)", accuracy(scoredTrain)));
  console.log(formatAccuracy("dev set (held-out rows)", accuracy(scoredHeld)));
  console.log(formatAccuracy("dev set (all)", accuracy([...scoredTrain, ...scoredHeld])));
  const bug = f1For([...scoredTrain, ...scoredHeld], "Bug");
  console.log(`dev set bug-report F1 ${bug.f1.toFixed(3)} (precision ${bug.precision.toFixed(3)}, recall ${bug.recall.toFixed(3)})`);
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
  console.log("\nreliability on held-out rows:");
  console.log(formatReliability(reliability(scoredHeld)));
  console.log("\nreliability on all dev rows:");
  console.log(formatReliability(reliability([...scoredTrain, ...scoredHeld])));
  if (args.has("--errors")) {
    console.log("\nmisclassified training rows:");
    for (const s of scoredTrain.filter((x) => x.category !== x.expectedCategory || x.priority !== x.expectedPriority)) {
      console.log(`  ${s.id} got ${s.category}/${s.priority} (${s.confidence}), expected ${s.expectedCategory}/${s.expectedPriority}: ${s.text.slice(0, 110)}`);
    }
  }
}

main();
