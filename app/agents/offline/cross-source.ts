/**
 * Leave-one-file-out evaluation of the offline crew on real and hand-written labelled feedback. For each file,
 * the text model and the calibration are fitted on all the other files (as train.ts fits the shipped ones) and
 * the file is scored on the bug / feature / other decision: per-class precision/recall/F1, accuracy of
 * tickets with confidence >= 0.9, and the reliability table (confidence bucket -> observed accuracy).
 *
 *   npx jiti app/agents/offline/cross-source.ts              # leave-one-file-out
 *   npx jiti app/agents/offline/cross-source.ts --shipped    # the shipped models on every file, no refit
 *
 * (Or `npm run build && node dist/app/agents/offline/cross-source.js`.) Deterministic.
 */
import path from "node:path";
import * as metrics from "../../../sdk/eval/metrics.js";
import { triageOne } from "./crew.js";
import { isHeldOut, loadDevSet, SEEDED_CONFIGURATION } from "./dataset.js";
import { asCoarse, fitOfflineModels } from "./fit.js";
import { type OfflineModels, SHIPPED_MODELS } from "./models.js";
import { type CoarseItem, coarseOf, loadRealFile, REAL_FILES } from "./real-data.js";

const ROOT = process.cwd();
const FIXTURES = path.join(ROOT, "test/app/agents/fixtures");
export const REAL_DIR = path.resolve(ROOT, "../shared/data/feedback-classification");

export interface Sources {
  readonly real: ReadonlyMap<string, CoarseItem[]>;
  /** Our rule-tuning rows of dev-set.csv (text model training). */
  readonly devTuning: CoarseItem[];
  /** Our calibration set (calibration only). */
  readonly calibration: CoarseItem[];
  /** Our hand-written holdout sets, never trained on. */
  readonly holdout: CoarseItem[];
}

export function loadSources(realDir = REAL_DIR): Sources {
  const dev = loadDevSet(path.join(FIXTURES, "dev-set.csv"));
  return {
    real: new Map(REAL_FILES.map((f) => [f, loadRealFile(path.join(realDir, f))])),
    devTuning: asCoarse(
      dev.filter((_, i) => !isHeldOut(i)),
      "dev-set.csv",
    ),
    calibration: asCoarse(loadDevSet(path.join(FIXTURES, "calibration-set.csv")), "calibration-set.csv"),
    holdout: [
      ...asCoarse(loadDevSet(path.join(FIXTURES, "holdout-set.csv")), "holdout-set.csv"),
      ...asCoarse(loadDevSet(path.join(FIXTURES, "holdout2-set.csv")), "holdout2-set.csv"),
    ],
  };
}

export interface CoarseScore {
  readonly expected: string;
  readonly predicted: string;
  readonly confidence: number;
  readonly fineRight: boolean | null;
}

export function scoreCoarse(rows: readonly CoarseItem[], models: OfflineModels): CoarseScore[] {
  return rows.map((row) => {
    const r = triageOne(row.item, SEEDED_CONFIGURATION, models);
    return {
      expected: row.label,
      predicted: coarseOf(r.category),
      confidence: r.confidence,
      fineRight: row.category === null ? null : row.category === r.category,
    };
  });
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function summarise(name: string, scored: readonly CoarseScore[]): string {
  const bug = metrics.classMetrics(scored, "bug");
  const feature = metrics.classMetrics(scored, "feature");
  const confident = scored.filter((s) => s.confidence >= 0.9);
  const lines = [
    `== ${name}: n=${scored.length} (bug ${bug.support}, feature ${feature.support}), bug/feature/other accuracy ${pct(metrics.accuracy(scored))}`,
    `  bug     P ${pct(bug.precision)} R ${pct(bug.recall)} F1 ${bug.f1.toFixed(3)}`,
    `  feature P ${pct(feature.precision)} R ${pct(feature.recall)} F1 ${feature.f1.toFixed(3)}`,
    `  confidence >= 0.9: n=${confident.length}, right ${pct(metrics.accuracy(confident))}`,
    "  reliability (bug/feature/other): bucket n mean-confidence accuracy",
  ];
  for (const b of metrics.reliability(scored))
    lines.push(
      `    ${b.from.toFixed(1)}-${b.to.toFixed(1)} ${String(b.n).padStart(5)} ${b.meanConfidence.toFixed(3)} ${pct(b.accuracy)}`,
    );
  const fine = scored.filter((s) => s.fineRight !== null);
  if (fine.length) {
    const pairs = fine.map((s) => ({
      expected: "right",
      predicted: s.fineRight ? "right" : "wrong",
      confidence: s.confidence,
    }));
    lines.push(`  five categories: accuracy ${pct(metrics.accuracy(pairs))}; reliability:`);
    for (const b of metrics.reliability(pairs))
      lines.push(
        `    ${b.from.toFixed(1)}-${b.to.toFixed(1)} ${String(b.n).padStart(5)} ${b.meanConfidence.toFixed(3)} ${pct(b.accuracy)}`,
      );
  }
  return lines.join("\n");
}

function main(): void {
  const shipped = process.argv.includes("--shipped");
  const s = loadSources();
  const only = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const all: CoarseScore[] = [];
  for (const [file, rows] of s.real) {
    if (only.length && !only.includes(file)) continue;
    const models = shipped
      ? SHIPPED_MODELS
      : fitOfflineModels({
          text: [...s.devTuning, ...[...s.real].filter(([f]) => f !== file).flatMap(([, r]) => r)],
          calibrationOnly: s.calibration,
        });
    const scored = scoreCoarse(rows, models);
    all.push(...scored);
    console.log(
      summarise(shipped ? `${file} (shipped models: trained on it, not held out)` : `${file} (held out)`, scored),
    );
  }
  const models = shipped
    ? SHIPPED_MODELS
    : fitOfflineModels({ text: [...s.devTuning, ...[...s.real.values()].flat()], calibrationOnly: s.calibration });
  console.log(summarise("our holdout sets (holdout + holdout2, never trained on)", scoreCoarse(s.holdout, models)));
  console.log(summarise("all real files pooled (each scored while held out)", all));
}

if (process.argv[1]?.match(/cross-source\.[jt]s$/)) main();
