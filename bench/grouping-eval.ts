/**
 * Duplicate grouping, measured (issue #15): pairwise precision and recall of the grouping stage's decisions on a
 * hand-written set of paraphrase groups and hard negatives (test/fixtures/grouping/eval-set.json). Two scorers:
 * the hand-weighted signals (weights and lexicon chosen on the tune half), the same with the generic swap gate,
 * the signals without the lexicon plus the swap gate, and the pair classifier (fitted on the tune half's pairs). Each one's join threshold is fitted on the tune half only; the figures that count are the
 * held-out half's, over several arrival orders. Loads the shipped offline encoder (no network).
 *
 *   npm run eval:grouping [-- --set path.json --min-precision 0.95 --tune-only]
 *
 * `--tune-only` prints the tune half's figures and a two-fold cross-validation inside it (the classifier fitted
 * on half of the tune groups, scored on the other half): what features and settings are chosen from.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type EvalItem,
  evaluateGrouping,
  GroupingEvalSet,
  type PairwiseFigures,
  prepareEvalItems,
  tuneThresholds,
} from "../app/grouping/evaluate.js";
import type { PairScorer, Thresholds } from "../app/grouping/grouper.js";
import { classifierSimilarity, trainPairClassifier } from "../app/grouping/pair-classifier.js";
import { SCORERS } from "../app/grouping/scorers.js";
import { UseLiteEncoder } from "../sdk/local/sentence-encoder.js";
import { benchArgs } from "./support/bench-args.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const USAGE = "Usage: npm run eval:grouping [-- --set path.json --min-precision 0.95 --tune-only]";
const values = benchArgs(USAGE, {
  set: { type: "string", default: path.join(root, "test", "fixtures", "grouping", "eval-set.json") },
  "min-precision": { type: "string", default: "0.95" },
  /** While choosing features and settings: print the tune half only, never look at the held-out half. */
  "tune-only": { type: "boolean", default: false },
});
const minPrecision = Number(values["min-precision"]);
const ORDERS = [15, 16, 17, 18, 19];

const pct = (x: number) => x.toFixed(3);
const line = (name: string, f: PairwiseFigures) =>
  `${name.padEnd(40)} precision ${pct(f.precision)}  recall ${pct(f.recall)}  ` +
  `(${f.correctPairs}/${f.predictedPairs} predicted, ${f.correctPairs}/${f.truePairs} true pairs; ` +
  `${f.hardNegativesJoined} hard negatives joined, ${f.suggestions} suggestions)`;

interface Scorer {
  name: string;
  scorer?: PairScorer;
  /** The range of join thresholds tried (scores of the weighted signals exceed 1; probabilities do not). */
  highest: number;
  lowest: number;
}

const WEIGHTED_RANGE = { highest: 0.95, lowest: 0.5 };
const fixed = (): Scorer[] => [
  { name: "weighted signals (lexicon)", scorer: SCORERS.weighted, ...WEIGHTED_RANGE },
  { name: "weighted signals + swap gate", scorer: SCORERS.weightedSwapGate, ...WEIGHTED_RANGE },
  { name: "lexicon-free signals + swap gate", scorer: SCORERS.lexiconFreeSwapGate, ...WEIGHTED_RANGE },
];
const learned = (train: readonly EvalItem[]): Scorer => ({
  name: "pair classifier + swap gate",
  scorer: classifierSimilarity(trainPairClassifier(train)),
  highest: 0.99,
  lowest: 0.3,
});

function fitThresholds(s: Scorer, tune: readonly EvalItem[]) {
  return tuneThresholds(tune, { minPrecision, scorer: s.scorer, highest: s.highest, lowest: s.lowest });
}

function report(s: Scorer, fitted: Thresholds, items: readonly EvalItem[], label: string) {
  const runs = ORDERS.map((seed) => evaluateGrouping(items, fitted, seed, s.scorer));
  for (const [i, run] of runs.entries()) console.log(line(`  ${label}, order ${ORDERS[i]}`, run));
  const mean = (k: "precision" | "recall") => runs.reduce((sum, r) => sum + r[k], 0) / runs.length;
  console.log(
    `  ${label}, mean of ${runs.length} orders: precision ${pct(mean("precision"))}, recall ${pct(mean("recall"))}`,
  );
}

/** Two folds of the tune half by group (a group and its hard negative stay together). */
function crossValidate(tune: readonly EvalItem[]) {
  const families = [...new Set(tune.map((i) => i.family))].sort();
  for (const fold of [0, 1]) {
    const inFold = (i: EvalItem) => families.indexOf(i.family) % 2 === fold;
    const train = tune.filter((i) => !inFold(i));
    const test = tune.filter(inFold);
    for (const s of [...fixed(), learned(train)]) {
      const fitted = fitThresholds(s, train);
      console.log(`${s.name}, tune fold ${fold}: fitted on the other fold, join >= ${fitted.joinThreshold}`);
      report(s, fitted, test, `tune fold ${fold}`);
    }
  }
}

const set = GroupingEvalSet.parse(JSON.parse(await readFile(values.set, "utf8")));
const started = performance.now();
const items = await prepareEvalItems(set, new UseLiteEncoder());
const tune = items.filter((i) => i.split === "tune");
const heldout = items.filter((i) => i.split === "heldout");
console.log(
  `${set.groups.length} groups, ${set.hardNegatives.length} hard negatives; tune ${tune.length} items, ` +
    `held-out ${heldout.length}; encoded (sentences and words) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
if (values["tune-only"]) crossValidate(tune);
for (const s of [...fixed(), learned(tune)]) {
  const fitted = fitThresholds(s, tune);
  console.log(
    `${s.name}: fitted on tune, join >= ${fitted.joinThreshold}, suggest >= ${fitted.suggestThreshold.toFixed(2)} ` +
      `(tune precision ${pct(fitted.precision)}, recall ${pct(fitted.recall)}, mean of 5 orders)`,
  );
  report(s, fitted, tune, "tune (fitted there, not a result)");
  if (!values["tune-only"]) report(s, fitted, heldout, "held-out");
}
