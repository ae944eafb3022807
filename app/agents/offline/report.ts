/**
 * Scores the offline crew on labelled CSV files (dev-set.csv layout, optional stated_priority column) and
 * prints accuracy, bug-report F1 and the category confusion matrix. Run from the repository root:
 *
 *   npx jiti app/agents/offline/report.ts test/app/agents/fixtures/holdout-set.csv [--errors]
 */
import { loadDevSet, SEEDED_CONFIGURATION } from "./dataset.js";
import { accuracy, f1For, formatAccuracy, formatConfusion, score } from "./evaluate.js";

const args = process.argv.slice(2);
const errors = args.includes("--errors");
for (const file of args.filter((a) => !a.startsWith("--"))) {
  const items = loadDevSet(file);
  const scored = score(items, SEEDED_CONFIGURATION);
  const source = new Map(items.map((l) => [l.id, l.item.sourceType]));
  console.log(`\n== ${file}`);
  console.log(formatAccuracy("all", accuracy(scored)));
  for (const kind of ["app_store_review", "email"]) {
    const part = scored.filter((s) => source.get(s.id) === kind);
    if (part.length) console.log(formatAccuracy(`  ${kind}`, accuracy(part)));
  }
  for (const [label, rows] of [
    ["all", scored],
    ["reviews", scored.filter((s) => source.get(s.id) === "app_store_review")],
  ] as const) {
    const bug = f1For(rows, "Bug");
    console.log(
      `bug-report F1 (${label}) ${bug.f1.toFixed(3)} (precision ${bug.precision.toFixed(3)}, recall ${bug.recall.toFixed(3)})`,
    );
  }
  console.log(formatConfusion(scored));
  if (errors) {
    for (const s of scored.filter((x) => x.category !== x.expectedCategory || x.priority !== x.expectedPriority)) {
      const mark = s.category !== s.expectedCategory ? "CAT" : "pri";
      console.log(
        `  ${mark} ${s.id} got ${s.category}/${s.priority}, expected ${s.expectedCategory}/${s.expectedPriority}: ${s.text.slice(0, 140)}`,
      );
    }
  }
}
