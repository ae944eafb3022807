import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { ValidationError } from "../errors.js";
import { computeContentHash, normalizeForHash } from "../ingest/content-hash.js";
import { normalizeHeaderName } from "../ingest/layouts.js";
import { CATEGORIES, FeedbackItem, PRIORITIES, type Priority } from "../schemas/feedback.js";
import { readLabelRows } from "./expected-labels.js";

/**
 * A plain labelled file: one row per item with its own text, so nothing else needs to be ingested.
 * Columns: `id, text, label` and optionally `rating`, `priority`, `source_type`, `subject`. The label is one of
 * our five categories (Bug, Feature Request, Praise, Complaint, Spam) or the coarse decision bug / feature /
 * other, as in public research data that only says whether a review is a bug report or a feature request.
 */
export const COARSE_LABELS = ["bug", "feature", "other"] as const;
export type CoarseLabel = (typeof COARSE_LABELS)[number];

export interface PlainLabel {
  readonly id: string;
  /** As written, normalised: a category name, or bug / feature / other. */
  readonly label: string;
  readonly coarse: boolean;
  readonly priority: Priority | null;
}

export interface PlainLabelledFile {
  readonly items: FeedbackItem[];
  readonly labels: PlainLabel[];
}

/** Bug -> bug, Feature Request -> feature, anything else (Praise, Complaint, Spam, Failed) -> other. */
export function coarseLabelOf(category: string): CoarseLabel {
  const c = normalizeHeaderName(category);
  if (c === "bug" || c === "bugreport") return "bug";
  if (c === "feature" || c === "featurerequest") return "feature";
  return "other";
}

/** Labels as normalizeHeaderName leaves them (lower case, letters and digits only). */
const ALIASES: Record<string, string> = { bugreport: "bug", neither: "other", none: "other" };
const TEXT_COLUMNS = ["text", "reviewtext", "review", "reviews", "body"];

/** True when the CSV header names an id, a text and a label column: a plain labelled file. */
export function isPlainLabelledHeader(header: readonly string[]): boolean {
  const h = header.map(normalizeHeaderName);
  return h.includes("label") && h.some((c) => TEXT_COLUMNS.includes(c));
}

export async function readPlainLabelled(file: string): Promise<PlainLabelledFile> {
  const rows = await readLabelRows(
    file,
    "labelled file",
    "Pass the path of a CSV file with the columns id, text, label (and optionally rating).",
  );
  const header = (rows[0] ?? []).map(normalizeHeaderName);
  if (!isPlainLabelledHeader(header)) {
    throw new ValidationError(`${file} is not a plain labelled file (columns: ${header.join(", ") || "none"})`, {
      hint: "Use the columns id, text, label (bug / feature / other or a category) and optionally rating.",
    });
  }
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const [idCol, textCol, labelCol, ratingCol, priorityCol, typeCol, subjectCol] = [
    col("id", "sourceid", "reviewid", "recordid"),
    col(...TEXT_COLUMNS),
    col("label"),
    col("rating", "stars", "score"),
    col("priority", "expectedpriority"),
    col("sourcetype"),
    col("subject"),
  ];
  const items: FeedbackItem[] = [];
  const labels: PlainLabel[] = [];
  rows.slice(1).forEach((row, index) => {
    const line = index + 2;
    const fail = (field: string, message: string, hint: string): never => {
      throw new ValidationError(`${file}, line ${line}, field '${field}': ${message}`, { hint });
    };
    const body = normalizeForHash(row[textCol] ?? "");
    if (!body) fail("text", "the text is empty", "Every row needs the text that was labelled.");
    const rawLabel = normalizeHeaderName(row[labelCol] ?? "");
    const label = ALIASES[rawLabel] ?? rawLabel;
    // "bug" is both a coarse label and a category (the same thing either way); feature / other are coarse only.
    const category = CATEGORIES.find((c) => normalizeHeaderName(c) === label && c !== "Failed");
    const coarse = !category && (COARSE_LABELS as readonly string[]).includes(label);
    if (!category && !coarse) {
      fail(
        "label",
        `'${row[labelCol]}' is not a label`,
        `Use bug, feature or other, or one of: ${CATEGORIES.filter((c) => c !== "Failed").join(", ")}.`,
      );
    }
    const ratingText = ratingCol >= 0 ? (row[ratingCol] ?? "").trim() : "";
    const rating = ratingText ? Number(ratingText) : null;
    if (rating !== null && !(Number.isInteger(rating) && rating >= 1 && rating <= 5)) {
      fail("rating", `'${ratingText}' is not a star rating`, "Use a whole number from 1 to 5, or leave it empty.");
    }
    const priorityText = priorityCol >= 0 ? (row[priorityCol] ?? "").trim() : "";
    const priority = priorityText
      ? (PRIORITIES.find((p) => normalizeHeaderName(p) === normalizeHeaderName(priorityText)) ??
        fail("priority", `'${priorityText}' is not a priority`, `Use one of: ${PRIORITIES.join(", ")}.`))
      : null;
    const subject = subjectCol >= 0 ? (row[subjectCol] ?? "").trim() || null : null;
    const id = (idCol >= 0 ? (row[idCol] ?? "").trim() : "") || `line-${line}`;
    const sourceType = typeCol >= 0 && row[typeCol]?.trim() === "email" ? "email" : "app_store_review";
    items.push(
      FeedbackItem.parse({
        sourceType,
        sourceId: id,
        text: body,
        subject,
        rating,
        contentHash: computeContentHash(body, subject),
      }),
    );
    labels.push({ id, label: category ?? label, coarse: !category, priority });
  });
  return { items, labels };
}

/** Whether the file's header is that of a plain labelled file (false when it cannot be read). */
export async function isPlainLabelledFile(file: string): Promise<boolean> {
  try {
    const text = await readFile(file, "utf8");
    const header = parse(text.slice(0, 4096), { bom: true, to_line: 1, relax_column_count: true }) as string[][];
    return isPlainLabelledHeader(header[0] ?? []);
  } catch {
    return false;
  }
}
