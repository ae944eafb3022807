import { FeedbackItem, MAX_TEXT_CHARS, type SourceType } from "../schemas/feedback.js";
import { computeContentHash, contentDerivedId } from "./content-hash.js";
import { ACCEPTED_DATE_FORMS, parseDate } from "./dates.js";
import type { RowProblem } from "./errors.js";
import {
  channelFor,
  normalizePlatform,
  normalizeStatedPriority,
  parseRating,
  platformFromDevice,
  RowRejection,
  readOptionalText,
  readString,
  reject,
} from "./fields.js";
import type { CanonicalField, SourceKind } from "./layouts.js";

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

const textLimit = MAX_TEXT_CHARS.toLocaleString("en-US");

export function normalizeRow(row: RawRow, context: NormalizeContext): NormalizeResult {
  let recordId: string | null = null;
  try {
    const { values } = row;
    const { labels } = context;
    recordId = readOptionalText(values.id, labels.id);
    let text = readOptionalText(values.text, labels.text);
    let subject = readOptionalText(values.subject, labels.subject);
    if (text === null && subject !== null && context.useSubjectWhenTextEmpty) {
      text = subject;
      subject = null;
    }
    if (text === null) {
      reject(
        labels.text,
        `${labels.text} is empty`,
        `Every row needs the feedback text; fill in "${labels.text}" or delete the row.`,
      );
    }
    if (text.length > MAX_TEXT_CHARS) {
      reject(
        labels.text,
        `${labels.text} is ${text.length.toLocaleString("en-US")} characters long; the limit is ${textLimit}`,
        "Shorten it or split it into several rows; longer text is rejected, not truncated.",
      );
    }
    const device = readOptionalText(values.device, labels.device);
    const platformValue = readOptionalText(values.platform, labels.platform);
    const platform =
      context.fixedPlatform ?? (platformValue === null ? platformFromDevice(device) : normalizePlatform(platformValue));
    const contentHash = computeContentHash(text, subject);
    const candidate: FeedbackItem = {
      sourceType: context.sourceType,
      sourceId: recordId ?? contentDerivedId(contentHash),
      channel: channelFor(context.kind, platform),
      text,
      subject,
      author: readOptionalText(values.author, labels.author),
      rating: context.kind === "review" ? parseRating(values.rating, labels.rating) : null,
      statedPriority: normalizeStatedPriority(readOptionalText(values.priority, labels.priority)),
      appVersion: readOptionalText(values.appVersion, labels.appVersion),
      device,
      platform,
      language: readOptionalText(values.language, labels.language),
      submittedAt: readDate(values.date, labels.date),
      metadata: row.metadata,
      contentHash,
    };
    checkLengths(candidate, labels);
    return { ok: true, item: candidate };
  } catch (error) {
    if (error instanceof RowRejection) return { ok: false, problem: error.problem, recordId };
    throw error;
  }
}

function readDate(value: unknown, label: string): string | null {
  if (typeof value === "number") return checkedDate(parseDate(value), label);
  const text = readString(value, label)?.trim();
  if (!text) return null;
  return checkedDate(parseDate(text), label);
}

function checkedDate(result: ReturnType<typeof parseDate>, label: string): string {
  if (result.ok) return result.iso;
  return reject(label, `${label} ${result.message}`, `Use ${ACCEPTED_DATE_FORMS}.`);
}

/** The item fields a file column feeds, with the schema's length limit for each. */
const LIMITED_FIELDS: readonly [keyof FeedbackItem, CanonicalField][] = [
  ["sourceId", "id"],
  ["subject", "subject"],
  ["author", "author"],
  ["statedPriority", "priority"],
  ["appVersion", "appVersion"],
  ["device", "device"],
  ["platform", "platform"],
  ["language", "language"],
];
const LENGTH_LIMITS = LIMITED_FIELDS.map(([key, field]) => ({ key, field, max: schemaMaxLength(key) }));

/**
 * The FeedbackItem schema is the contract; its limits are read from it once, so checking a
 * row is a few comparisons instead of a full schema parse (which costs a quarter of the time).
 * Tests parse every produced item with the schema to keep the two in step.
 */
function checkLengths(item: FeedbackItem, labels: Record<CanonicalField, string>): void {
  for (const { key, field, max } of LENGTH_LIMITS) {
    const value = item[key];
    if (typeof value === "string" && value.length > max) {
      const label = labels[field];
      reject(
        label,
        `${label} is ${value.length} characters long; the limit is ${max}`,
        `Shorten the value in "${label}".`,
      );
    }
  }
}

function schemaMaxLength(key: keyof FeedbackItem): number {
  let schema: unknown = FeedbackItem.shape[key];
  while (schema && typeof schema === "object" && "unwrap" in schema && typeof schema.unwrap === "function") {
    schema = schema.unwrap();
  }
  const max = (schema as { maxLength?: number | null }).maxLength;
  if (typeof max !== "number") throw new Error(`FeedbackItem.${key} has no maximum length`);
  return max;
}
