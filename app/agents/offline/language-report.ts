/**
 * Prints how well `detectLanguage` does (language-eval.ts says on what). Run from the repository root:
 *
 *   npx tsx app/agents/offline/language-report.ts [--errors]
 */
import { isShortFixture, loadMultilingual, measureEnglish, measureMultilingual } from "./language-eval.js";

const errors = process.argv.includes("--errors");
const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(2)}%`;
const line = (m: { id: string; code: string; text: string }) =>
  `  ${m.id} -> ${m.code}: ${m.text.replace(/\s+/g, " ").slice(0, 120)}`;

const en = measureEnglish();
console.log(
  `real review rows: ${en.rowsEnglish}/${en.rows} = ${pct(en.rowsEnglish, en.rows)} detected as English (all rows)`,
);
console.log(
  `real English review rows: ${en.sentencesEnglish}/${en.sentences} = ${pct(en.sentencesEnglish, en.sentences)} detected as English (${en.excluded} rows not English left out)`,
);
if (errors) console.log(en.misses.map(line).join("\n"));

const items = loadMultilingual();
for (const [label, part] of [
  ["sentences", items.filter((i) => !isShortFixture(i))],
  ["one to three words", items.filter(isShortFixture)],
] as const) {
  const m = measureMultilingual(part);
  console.log(
    `multilingual ${label} (${m.languages} languages): right ${m.right}/${m.items} = ${pct(m.right, m.items)}, undetermined ${m.undetermined}, taken for English ${m.takenForEnglish}`,
  );
  if (errors) console.log(m.misses.map(line).join("\n"));
}
