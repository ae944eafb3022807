import type { RowError } from "../../sdk/ingest/index.js";
import type {
  ClassMetrics,
  ConfusionMatrix,
  EvaluationReport,
  PlainEvaluationReport,
  ReliabilityBucket,
} from "../../sdk/schemas/evaluation.js";
import { table } from "./format.js";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function classTable(rows: ClassMetrics[]): string {
  return table(
    ["LABEL", "PRECISION", "RECALL", "F1", "SUPPORT"],
    rows.map((r) => [r.label, pct(r.precision), pct(r.recall), r.f1.toFixed(2), String(r.support)]),
  );
}

function confusionTable(confusion: ConfusionMatrix): string {
  const short = (label: string) => label.slice(0, 8);
  return table(
    ["expected \\ predicted", ...confusion.labels.map(short)],
    confusion.matrix.map((row, i) => [confusion.labels[i]!, ...row.map(String)]),
  );
}

export function evaluationText(report: EvaluationReport & { rowErrors: RowError[] }): string {
  const lines = [
    `Agents: ${report.agents}; ${report.evaluated} labelled items evaluated at ${Math.round(report.itemsPerSecond)} items/s`,
    `Category accuracy ${pct(report.categoryAccuracy)} · priority accuracy ${pct(report.priorityAccuracy)} · both correct ${pct(report.bothCorrectAccuracy)}`,
    "",
    "Categories:",
    classTable(report.perCategory),
    "",
    "Priorities:",
    classTable(report.perPriority),
    "",
    "Category confusion:",
    confusionTable(report.categoryConfusion),
    "",
    "Priority confusion:",
    confusionTable(report.priorityConfusion),
  ];
  if (report.mistakes.length) {
    lines.push("", "Mistakes:");
    for (const m of report.mistakes) {
      lines.push(
        `  ${m.id}: expected ${m.expected.category}/${m.expected.priority}, got ${m.predicted.category}/${m.predicted.priority} (${m.predicted.confidence.toFixed(2)})`,
      );
    }
  }
  if (report.missing.length) lines.push("", `Labels with no item in the source files: ${report.missing.join(", ")}`);
  if (report.rowErrors.length)
    lines.push(
      "",
      `${report.rowErrors.length} source rows were rejected (run 'feedback-cli ingest --dry-run' on the files for details).`,
    );
  return lines.join("\n");
}

function reliabilityTable(rows: readonly ReliabilityBucket[]): string {
  return table(
    ["CONFIDENCE", "ITEMS", "MEAN CONFIDENCE", "OBSERVED ACCURACY"],
    rows.map((r) => [`${r.from.toFixed(1)}-${r.to.toFixed(1)}`, String(r.n), pct(r.meanConfidence), pct(r.accuracy)]),
  );
}

export function plainEvaluationText(report: PlainEvaluationReport): string {
  const compared = report.comparedAs === "coarse" ? "bug / feature / other" : "the five categories";
  const lines = [
    `Agents: ${report.agents}; ${report.evaluated} labelled items evaluated at ${Math.round(report.itemsPerSecond)} items/s, compared as ${compared}`,
    `Accuracy ${pct(report.accuracy)} · confidence >= ${report.confident.threshold}: ${report.confident.n} items, ${pct(report.confident.accuracy)} right · needs_review: ${report.needsReview.n} items, ${pct(report.needsReview.accuracy)} right`,
    report.priorityAccuracy === null
      ? "Priority: no priority labels"
      : `Priority accuracy ${pct(report.priorityAccuracy)} over ${report.priorityEvaluated} rows`,
    "",
    "Per class:",
    classTable(report.perClass),
    "",
    "Reliability (confidence bucket -> observed accuracy):",
    reliabilityTable(report.reliability),
    "",
    "Confusion:",
    confusionTable(report.confusion),
  ];
  return lines.join("\n");
}
