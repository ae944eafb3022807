import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { feedbackItem, type LabelledItem } from "./dataset.js";

/**
 * Real, human-labelled app-review sentences (../shared/data/feedback-classification, CC-BY-4.0, see NOTICE),
 * mapped to the coarse decision that matters on real text: bug report, feature request, or neither.
 * Our five categories map onto it: Bug -> bug, Feature Request -> feature, Praise/Complaint/Spam -> other.
 */
export type Coarse = "bug" | "feature" | "other";
export const COARSE_LABELS: readonly Coarse[] = ["bug", "feature", "other"];

export function coarseOf(category: string): Coarse {
  const c = category.trim().toLowerCase();
  if (c === "bug" || c === "bug report") return "bug";
  if (c === "feature request" || c === "feature") return "feature";
  return "other";
}

/** A labelled item whose label is only coarse (bug / feature / other) when `category` is null. */
export interface CoarseItem {
  readonly id: string;
  readonly item: LabelledItem["item"];
  readonly label: Coarse;
  /** Our five-category label where known (our hand-written sets), else null. */
  readonly category: string | null;
  readonly source: string;
}

type Row = Record<string, string>;
const readCsv = (file: string): Row[] =>
  parse(readFileSync(file), { columns: true, skip_empty_lines: true, bom: true, relax_quotes: true }) as Row[];

/**
 * The mapping (a judgement call, documented in README): P3 Stability -> bug, feature -> feature, none -> other;
 * "quality" and "performance" are topics that mix praise ("it is quick") with problems, and are left out. SHAH B -> bug, R -> feature, E
 * (feature evaluation) -> other; "rate" (many bug reports hide there: B needs an annotated aspect) and M ("other"
 * requirements, mostly missing features) are left out. P1/P2 only say
 * whether a text is requirement-relevant: Judgement 0 rows are used as "other", Judgement 1 rows are left out.
 */
const MAPPINGS: Record<string, (r: Row) => Coarse | null> = {
  "P1-Golden.csv": (r) => (r.Judgement === "0" ? "other" : null),
  "P2-Golden.csv": (r) => (r.Judgement === "0" ? "other" : null),
  "P3-Golden.csv": (r) =>
    (({ Stability: "bug", feature: "feature", none: "other" })[r.labels ?? ""] as Coarse | null) ?? null,
  "SHAH.csv": (r) => (({ B: "bug", R: "feature", E: "other" })[r.labels ?? ""] as Coarse | null) ?? null,
};

export const REAL_FILES = Object.keys(MAPPINGS);

export function loadRealFile(file: string): CoarseItem[] {
  const name = path.basename(file);
  const map = MAPPINGS[name];
  if (!map) throw new Error(`no label mapping for ${name}`);
  const out: CoarseItem[] = [];
  readCsv(file).forEach((r, i) => {
    const label = map(r);
    const text = (r.reviews ?? "").trim();
    if (!label || !text) return;
    const id = `${name.replace(/\.csv$/, "")}-${i + 1}`;
    out.push({ id, label, category: null, source: name, item: feedbackItem({ sourceId: id, text, rating: null }) });
  });
  return out;
}
