import type { FeedbackItem, SourceType } from "../schemas/feedback.js";
import type { RowProblem } from "./errors.js";
import type { CanonicalField, SourceKind } from "./layouts.js";
import { readRecordId, rowSchema, toRowProblem } from "./row-schema.js";

/** One record after layout mapping, before validation. */
export interface RawRow {
  values: Partial<Record<CanonicalField, unknown>>;
  /** Columns (or keys) no field uses, under their names in the file. */
  metadata: Record<string, unknown>;
}

export interface NormalizeContext {
  kind: SourceKind;
  sourceType: SourceType;
  /** How each field is spelled in this file, for messages. */
  labels: Record<CanonicalField, string>;
  fixedPlatform?: "ios" | "android";
  /** Store exports let a review have only a title; then the title is the text. */
  useSubjectWhenTextEmpty?: boolean;
}

export type NormalizeResult =
  | { ok: true; item: FeedbackItem }
  | { ok: false; problem: RowProblem; recordId: string | null };

/** Checks one record against the file layout's row schema and turns it into a FeedbackItem. */
export function normalizeRow(row: RawRow, context: NormalizeContext): NormalizeResult {
  const parsed = rowSchema(context).safeParse(row);
  if (parsed.success) return { ok: true, item: parsed.data };
  return { ok: false, problem: toRowProblem(parsed.error, context), recordId: readRecordId(row, context) };
}
