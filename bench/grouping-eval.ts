/**
 * Duplicate grouping, measured (issue #15): pairwise precision and recall of the grouping stage's decisions on a
 * hand-written set of paraphrase groups and hard negatives (test/fixtures/grouping/eval-set.json). The join
 * threshold is fitted on the tune half only; the figures that count are the held-out half's, at that threshold
 * and at the configured one. Loads the shipped offline encoder (no network).
 *
 *   npm run eval:grouping [-- --set path.json --min-precision 0.95]
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { evaluateGrouping, GroupingEvalSet, prepareEvalItems, tuneThresholds } from "../app/grouping/evaluate.js";
import { UseLiteEncoder } from "../sdk/local/sentence-encoder.js";
import { GroupingSettings } from "../sdk/schemas/grouping.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const { values } = parseArgs({
  options: {
    set: { type: "string", default: path.join(root, "test", "fixtures", "grouping", "eval-set.json") },
    "min-precision": { type: "string", default: "0.95" },
    /** While choosing features and weights: print the tune half only, never look at the held-out half. */
    "tune-only": { type: "boolean", default: false },
  },
});

const set = GroupingEvalSet.parse(JSON.parse(await readFile(values.set, "utf8")));
const started = performance.now();
const items = await prepareEvalItems(set, new UseLiteEncoder());
const encodeMs = performance.now() - started;
const tune = items.filter((i) => i.split === "tune");
const heldout = items.filter((i) => i.split === "heldout");
const fitted = tuneThresholds(tune, Number(values["min-precision"]));
const configured = GroupingSettings.parse({});
const pct = (x: number) => x.toFixed(3);
const line = (name: string, figures: ReturnType<typeof evaluateGrouping>) =>
  `${name.padEnd(34)} precision ${pct(figures.precision)}  recall ${pct(figures.recall)}  ` +
  `(${figures.correctPairs}/${figures.predictedPairs} predicted, ${figures.correctPairs}/${figures.truePairs} true pairs; ` +
  `${figures.hardNegativesJoined} hard negatives joined, ${figures.suggestions} suggestions)`;

console.log(
  `${set.groups.length} groups (${set.groups.reduce((n, g) => n + g.items.length, 0)} items), ${set.hardNegatives.length} hard negatives; ` +
    `tune ${tune.length} items, held-out ${heldout.length}; encoded in ${(encodeMs / 1000).toFixed(1)} s`,
);
console.log(
  `fitted on tune: join >= ${fitted.joinThreshold}, suggest >= ${fitted.suggestThreshold.toFixed(2)} (tune precision ${pct(fitted.precision)}, recall ${pct(fitted.recall)}, mean of 5 orders)`,
);
console.log(line("tune, fitted (not a result)", evaluateGrouping(tune, fitted)));
if (values["tune-only"]) process.exit(0);
for (const seed of [15, 16, 17])
  console.log(line(`held-out, fitted, order ${seed}`, evaluateGrouping(heldout, fitted, seed)));
console.log(
  line(
    `held-out, configured (${configured.joinThreshold}/${configured.suggestThreshold})`,
    evaluateGrouping(heldout, configured),
  ),
);
