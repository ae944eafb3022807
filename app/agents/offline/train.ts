/**
 * Trains the fitted parts of the offline crew and prints accuracy reports. Run from the repository root:
 *
 *   npx jiti app/agents/offline/train.ts            # train, write app/agents/data/*.json, report
 *   npx jiti app/agents/offline/train.ts --dry-run  # report only
 *   npx jiti app/agents/offline/train.ts --errors   # also list misclassified rule-tuning rows
 *
 * (Or `npm run build && node dist/app/agents/offline/train.js`.)
 * 1. The text model (word/bigram logistic regression) is trained on the rule-tuning rows of
 *    test/app/agents/fixtures/dev-set.csv (every 4th row is held out from both).
 * 2. The confidence calibration is fitted on test/app/agents/fixtures/calibration-set.csv, items never used to
 *    tune the rules or train the text model; its reliability is reported out-of-fold (2-fold cross-fitting).
 * Deterministic: fixed data order and splits, zero initialisation, fixed iteration counts.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { CALIBRATION_FEATURES, type CalibrationModel, calibrationFeatures } from "./calibration.js";
import { traceDecision } from "./classifier.js";
import { isHeldOut, type LabelledItem, loadCapstoneSample, loadDevSet, SEEDED_CONFIGURATION } from "./dataset.js";
import { accuracy, f1For, formatAccuracy, formatReliability, reliability, type Scored, score } from "./evaluate.js";
import { gatherEvidence } from "./evidence.js";
import type { OfflineModels } from "./models.js";
import type { TextModel } from "./text-model.js";
import { trainTextModel } from "./train-text-model.js";

const ROOT = process.cwd();
const DEV_SET = path.join(ROOT, "test/app/agents/fixtures/dev-set.csv");
const CALIBRATION_SET = path.join(ROOT, "test/app/agents/fixtures/calibration-set.csv");
const SAMPLE_DIR = path.resolve(ROOT, "../shared/data/capstone-dev");
const DATA_DIR = path.join(ROOT, "app/agents/data");
const L2 = 0.02;
const STEPS = 4000;
const RATE = 0.3;
const NO_TEXT_MODEL: TextModel = {
  classes: ["Bug", "Feature Request", "Praise", "Complaint", "Spam"],
  bias: [0, 0, 0, 0, 0],
  weights: {},
};

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

function fitCalibration(items: readonly LabelledItem[], textModel: TextModel): CalibrationModel {
  const xs: number[][] = [];
  const ys: number[] = [];
  for (const l of items) {
    const trace = traceDecision(l.item, gatherEvidence(l.item), {
      calibration: { features: [], weights: [], bias: 0 },
      textModel,
    });
    xs.push(calibrationFeatures(trace));
    ys.push(trace.category === l.category ? 1 : 0);
  }
  return fitLogistic(xs, ys);
}

/** Fits on one half and scores the other, both ways: every row gets an out-of-fold confidence. */
function crossFitted(rows: readonly LabelledItem[], textModel: TextModel): Scored[] {
  const out: Scored[] = [];
  for (const fold of [0, 1]) {
    const calibration = fitCalibration(
      rows.filter((_, i) => i % 2 !== fold),
      textModel,
    );
    out.push(
      ...score(
        rows.filter((_, i) => i % 2 === fold),
        SEEDED_CONFIGURATION,
        { calibration, textModel },
      ),
    );
  }
  return out;
}

function report(
  models: OfflineModels,
  dev: readonly LabelledItem[],
  untuned: readonly LabelledItem[],
  errors: boolean,
): void {
  const config = SEEDED_CONFIGURATION;
  const scoredDev = score(dev, config, models);
  const devTuning = scoredDev.filter((_, i) => !isHeldOut(i));
  const devHeld = scoredDev.filter((_, i) => isHeldOut(i));
  const scoredUntuned = score(untuned, config, models);
  const withoutText = score(untuned, config, { ...models, textModel: NO_TEXT_MODEL });
  console.log(formatAccuracy("dev set (rule-tuning rows)", accuracy(devTuning)));
  console.log(formatAccuracy("dev set (held-out rows)", accuracy(devHeld)));
  console.log(formatAccuracy("dev set (all)", accuracy(scoredDev)));
  console.log(formatAccuracy("calibration set (untuned)", accuracy(scoredUntuned)));
  console.log(formatAccuracy("  same, rules only", accuracy(withoutText)));
  for (const [label, rows] of [
    ["dev set", scoredDev],
    ["calibration set", scoredUntuned],
    ["  same, rules only", withoutText],
  ] as const) {
    const bug = f1For(rows, "Bug");
    console.log(
      `${label} bug-report F1 ${bug.f1.toFixed(3)} (precision ${bug.precision.toFixed(3)}, recall ${bug.recall.toFixed(3)})`,
    );
  }
  try {
    const sample = score(loadCapstoneSample(SAMPLE_DIR), config, models);
    console.log(formatAccuracy("capstone sample", accuracy(sample)));
    for (const s of sample.filter((x) => x.category !== x.expectedCategory || x.priority !== x.expectedPriority)) {
      console.log(
        `  sample ${s.id}: got ${s.category}/${s.priority}, expected ${s.expectedCategory}/${s.expectedPriority}`,
      );
    }
  } catch (error) {
    console.log(`capstone sample not available: ${(error as Error).message}`);
  }
  console.log("\nreliability, calibration set, out-of-fold (2-fold cross-fitting, untuned rows):");
  console.log(formatReliability(reliability(crossFitted(untuned, models.textModel))));
  console.log("\nreliability, dev set held-out rows (shipped calibration):");
  console.log(formatReliability(reliability(devHeld)));
  if (errors) {
    console.log("\nmisclassified rule-tuning rows (dev set only):");
    for (const s of devTuning.filter((x) => x.category !== x.expectedCategory || x.priority !== x.expectedPriority)) {
      console.log(
        `  ${s.id} got ${s.category}/${s.priority} (${s.confidence}), expected ${s.expectedCategory}/${s.expectedPriority}: ${s.text.slice(0, 110)}`,
      );
    }
  }
}

function main(): void {
  const args = new Set(process.argv.slice(2));
  const dev = loadDevSet(DEV_SET);
  const untuned = loadDevSet(CALIBRATION_SET);
  const textModel = trainTextModel(dev.filter((_, i) => !isHeldOut(i)));
  const calibration = fitCalibration(untuned, textModel);
  if (!args.has("--dry-run")) {
    writeFileSync(path.join(DATA_DIR, "text-model.json"), `${JSON.stringify(textModel)}\n`);
    writeFileSync(path.join(DATA_DIR, "calibration.json"), `${JSON.stringify(calibration, null, 2)}\n`);
  }
  console.log(
    `text model: ${Object.keys(textModel.weights).length} features; calibration:`,
    JSON.stringify(calibration),
  );
  console.log(args.has("--dry-run") ? "(dry run: nothing written)" : `written to ${path.relative(ROOT, DATA_DIR)}/`);
  report({ calibration, textModel }, dev, untuned, args.has("--errors"));
}

main();
