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

const MAX_SOURCE_ID_CHARS = 200;
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
      reject(labels.text, `${labels.text} is empty`, `Every row needs the feedback text; fill in "${labels.text}" or delete the row.`);
    }
    if (text.length > MAX_TEXT_CHARS) {
      reject(
        labels.text,
        `${labels.text} is ${text.length.toLocaleString("en-US")} characters long; the limit is ${textLimit}`,
        "Shorten it or split it into several rows; longer text is rejected, not truncated.",
      );
    }
    if (recordId !== null && recordId.length > MAX_SOURCE_ID_CHARS) {
      reject(labels.id, `${labels.id} is longer than ${MAX_SOURCE_ID_CHARS} characters`, "Use a shorter id.");
    }
    const device = readOptionalText(values.device, labels.device);
    const platformValue = readOptionalText(values.platform, labels.platform);
    const platform =
      context.fixedPlatform ?? (platformValue === null ? platformFromDevice(device) : normalizePlatform(platformValue));
    const contentHash = computeContentHash(text, subject);
    const candidate = {
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
    const parsed = FeedbackItem.safeParse(candidate);
    if (!parsed.success) return { ok: false, problem: describeSchemaIssue(parsed.error.issues[0], labels), recordId };
    return { ok: true, item: parsed.data };
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

const ITEM_KEY_TO_FIELD: Record<string, CanonicalField> = {
  sourceId: "id",
  text: "text",
  subject: "subject",
  author: "author",
  rating: "rating",
  statedPriority: "priority",
  appVersion: "appVersion",
  device: "device",
  platform: "platform",
  language: "language",
  submittedAt: "date",
};

type SchemaIssue = { path: PropertyKey[]; code: string; message: string; maximum?: unknown };

/** The schema is the last line of defence (lengths mostly); say which column broke it. */
function describeSchemaIssue(issue: SchemaIssue | undefined, labels: Record<CanonicalField, string>): RowProblem {
  const key = String(issue?.path[0] ?? "");
  const field = ITEM_KEY_TO_FIELD[key];
  const label = field ? labels[field] : key;
  if (issue?.code === "too_big" && typeof issue.maximum !== "undefined") {
    return {
      field: label,
      message: `${label} is too long (the limit is ${String(issue.maximum)} characters)`,
      hint: `Shorten the value in "${label}".`,
    };
  }
  return {
    field: label || null,
    message: `${label || "row"} is not valid: ${issue?.message ?? "unknown problem"}`,
    hint: `Fix the value in "${label}".`,
  };
}
