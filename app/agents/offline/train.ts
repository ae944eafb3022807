/**
 * Trains the fitted parts of the offline crew and prints accuracy reports. Run from the repository root:
 *
 *   npx jiti app/agents/offline/train.ts            # train, write app/agents/data/*.json, report
 *   npx jiti app/agents/offline/train.ts --dry-run  # report only
 *   npx jiti app/agents/offline/train.ts --errors   # also list misclassified rule-tuning rows
 *
 * (Or `npm run build && node dist/app/agents/offline/train.js`.)
 * 1. The text model (word/bigram logistic regression) is trained on the rule-tuning rows of
 *    test/app/agents/fixtures/dev-set.csv (every 4th row is held out) and on the real labelled review sentences of
 *    ../shared/data/feedback-classification (CC-BY-4.0, see NOTICE; mapping in real-data.ts).
 * 2. The confidence calibration is fitted on test/app/agents/fixtures/calibration-set.csv (items never used to
 *    tune the rules or train the text model) and on out-of-fold decisions on the real sentences (fit.ts).
 *    Leave-one-file-out figures: cross-source.ts.
 * Deterministic: fixed data order and splits, zero initialisation, fixed iteration counts.
 */
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CalibrationModel } from "./calibration.js";
import { isHeldOut, type LabelledItem, loadCapstoneSample, loadDevSet, SEEDED_CONFIGURATION } from "./dataset.js";
import { accuracy, f1For, formatAccuracy, formatReliability, reliability, type Scored, score } from "./evaluate.js";
import { asCoarse, calibrationPoints, fitCalibration, fitOfflineModels } from "./fit.js";
import type { OfflineModels } from "./models.js";
import { loadRealFile, REAL_FILES } from "./real-data.js";
import type { TextModel } from "./text-model.js";

const ROOT = process.cwd();
const DEV_SET = path.join(ROOT, "test/app/agents/fixtures/dev-set.csv");
const CALIBRATION_SET = path.join(ROOT, "test/app/agents/fixtures/calibration-set.csv");
const SAMPLE_DIR = path.resolve(ROOT, "../shared/data/capstone-dev");
const REAL_DIR = path.resolve(ROOT, "../shared/data/feedback-classification");
const DATA_DIR = path.join(ROOT, "app/agents/data");
const NO_TEXT_MODEL: TextModel = {
  classes: ["Bug", "Feature Request", "Praise", "Complaint", "Spam"],
  bias: [0, 0, 0, 0, 0],
  weights: {},
};

const fitOn = (items: readonly LabelledItem[], textModel: TextModel): CalibrationModel =>
  fitCalibration(calibrationPoints(asCoarse(items, "calibration-set.csv"), textModel));

/** Fits on one half and scores the other, both ways: every row gets an out-of-fold confidence. */
function crossFitted(rows: readonly LabelledItem[], textModel: TextModel): Scored[] {
  const out: Scored[] = [];
  for (const fold of [0, 1]) {
    const calibration = fitOn(
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
  if (!existsSync(REAL_DIR)) throw new Error(`${REAL_DIR} is missing: the real labelled reviews are needed to train`);
  const real = REAL_FILES.flatMap((f) => loadRealFile(path.join(REAL_DIR, f)));
  const { textModel, calibration } = fitOfflineModels({
    text: [
      ...asCoarse(
        dev.filter((_, i) => !isHeldOut(i)),
        "dev-set.csv",
      ),
      ...real,
    ],
    calibrationOnly: asCoarse(untuned, "calibration-set.csv"),
  });
  if (!args.has("--dry-run")) {
    writeFileSync(path.join(DATA_DIR, "text-model.json"), `${JSON.stringify(textModel)}\n`);
    writeFileSync(path.join(DATA_DIR, "calibration.json"), `${JSON.stringify(calibration, null, 2)}\n`);
  }
  console.log(
    `text model: ${Object.keys(textModel.weights).length} features, trained on ${real.length} real review sentences and the dev set's rule-tuning rows; calibration:`,
    JSON.stringify(calibration),
  );
  console.log(args.has("--dry-run") ? "(dry run: nothing written)" : `written to ${path.relative(ROOT, DATA_DIR)}/`);
  report({ calibration, textModel }, dev, untuned, args.has("--errors"));
}

main();
