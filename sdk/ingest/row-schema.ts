import { z } from "zod";
import { FeedbackItem, MAX_TEXT_CHARS } from "../schemas/feedback.js";
import { computeContentHash, contentDerivedId } from "./content-hash.js";
import { ACCEPTED_DATE_FORMS, parseDate } from "./dates.js";
import type { RowProblem } from "./errors.js";
import { channelFor, normalizePlatform, normalizeStatedPriority, platformFromDevice } from "./fields.js";
import type { CanonicalField } from "./layouts.js";
import type { NormalizeContext, RawRow } from "./normalize.js";

/**
 * The contract of one file row (CSV line or JSON record), as a zod schema built once per file layout.
 * Every issue carries the field as spelled in the file and the hint the reader sees, so a rejected row
 * reports file, line, field, message and hint like before.
 */

interface ProblemParams {
  field: string | null;
  hint: string;
}

const problem = (field: string | null, message: string, hint: string) => ({
  code: "custom" as const,
  message,
  params: { field, hint } satisfies ProblemParams,
});

/** A cell: CSV gives strings, JSON may give numbers or booleans. Objects and lists are an error. */
const plainValue = (label: string) =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.undefined()], {
    error: (issue) => `${label} must be text, not ${Array.isArray(issue.input) ? "a list" : "an object"}`,
  });
const nestedDataHint = (label: string) =>
  `Put a plain value in "${label}"; nested data belongs in extra fields, which are kept as metadata.`;

/** A cell as text, or null when absent. */
const cell = (label: string) =>
  plainValue(label).transform((value) => (value === null || value === undefined ? null : String(value)));

const CARRIAGE_RETURNS = /\r\n?/g;

/** Trimmed text, or null when absent or blank. */
const optionalText = (label: string) =>
  cell(label).transform((text) => {
    if (text === null) return null;
    const trimmed = (text.includes("\r") ? text.replace(CARRIAGE_RETURNS, "\n") : text).trim();
    return trimmed.length === 0 ? null : trimmed;
  });

const textLimit = MAX_TEXT_CHARS.toLocaleString("en-US");

function checkText(text: string | null, label: string, ctx: z.RefinementCtx): text is string {
  if (text === null) {
    ctx.addIssue(
      problem(label, `${label} is empty`, `Every row needs the feedback text; fill in "${label}" or delete the row.`),
    );
    return false;
  }
  if (text.length > MAX_TEXT_CHARS) {
    ctx.addIssue(
      problem(
        label,
        `${label} is ${text.length.toLocaleString("en-US")} characters long; the limit is ${textLimit}`,
        "Shorten it or split it into several rows; longer text is rejected, not truncated.",
      ),
    );
    return false;
  }
  return true;
}

/** The feedback text, required unless the layout falls back to the subject (checked on the whole row). */
const requiredText = (label: string) =>
  optionalText(label).transform((text, ctx) => (checkText(text, label, ctx) ? text : z.NEVER));

const RATING = /^(\d+)(?:[.,]0+)?(?:\s*(?:stars?|\/\s*5))?$/i;
const RATING_HINT = 'Use a whole number from 1 to 5 ("4", "4.0", "4 stars" and "4/5" are also read).';

/**
 * 1-5 as an integer; "5", "5.0", "5 stars" are fine, 0, 9, "five" and 4.5 are not. A blank cell is no
 * rating (null): real exports hold reviews whose stars were not exported, and the text is still feedback.
 */
const rating = (label: string) =>
  cell(label).transform((raw, ctx) => {
    const text = raw?.trim() ?? "";
    if (text.length === 0) return null;
    const match = RATING.exec(text);
    const value = match ? Number(match[1]) : Number.NaN;
    if (!Number.isInteger(value) || value < 1 || value > 5) {
      ctx.addIssue(problem(label, `${label} must be a whole number from 1 to 5, not "${text}"`, RATING_HINT));
      return z.NEVER;
    }
    return value;
  });

/** A date in one of the accepted forms, as ISO 8601; epoch milliseconds may come as a JSON number. */
const date = (label: string) =>
  plainValue(label).transform((value, ctx) => {
    const raw = typeof value === "number" ? value : value === null || value === undefined ? "" : String(value).trim();
    if (raw === "") return null;
    const result = parseDate(raw);
    if (result.ok) return result.iso;
    ctx.addIssue(problem(label, `${label} ${result.message}`, `Use ${ACCEPTED_DATE_FORMS}.`));
    return z.NEVER;
  });

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
  ["app", "app"],
];
const LENGTH_LIMITS = LIMITED_FIELDS.map(([key, field]) => ({ key, field, max: schemaMaxLength(key) }));

function schemaMaxLength(key: keyof FeedbackItem): number {
  let schema: unknown = FeedbackItem.shape[key];
  while (schema && typeof schema === "object" && "unwrap" in schema && typeof schema.unwrap === "function") {
    schema = schema.unwrap();
  }
  const max = (schema as { maxLength?: number | null }).maxLength;
  if (typeof max !== "number") throw new Error(`FeedbackItem.${key} has no maximum length`);
  return max;
}

function rowSchemaFor(context: NormalizeContext) {
  const { labels } = context;
  // Field checks run in this order and the first failing one is reported.
  const fields = z.object({
    id: optionalText(labels.id),
    text: context.useSubjectWhenTextEmpty ? optionalText(labels.text) : requiredText(labels.text),
    subject: optionalText(labels.subject),
    device: optionalText(labels.device),
    platform: optionalText(labels.platform),
    author: optionalText(labels.author),
    rating: context.kind === "review" ? rating(labels.rating) : z.any().transform(() => null),
    priority: optionalText(labels.priority),
    appVersion: optionalText(labels.appVersion),
    language: optionalText(labels.language),
    app: optionalText(labels.app),
    date: date(labels.date),
  });
  return z
    .object({ values: fields, metadata: z.record(z.string(), z.unknown()) })
    .transform(({ values, metadata }, ctx): FeedbackItem => {
      let { text, subject } = values;
      if (text === null && subject !== null) {
        text = subject;
        subject = null;
      }
      if (!checkText(text, labels.text, ctx)) return z.NEVER;
      const platform =
        context.fixedPlatform ??
        (values.platform === null ? platformFromDevice(values.device) : normalizePlatform(values.platform));
      const contentHash = computeContentHash(text, subject);
      const item: FeedbackItem = {
        sourceType: context.sourceType,
        sourceId: values.id ?? contentDerivedId(contentHash),
        channel: channelFor(context.kind, platform),
        text,
        subject,
        author: values.author,
        rating: values.rating,
        statedPriority: normalizeStatedPriority(values.priority),
        appVersion: values.appVersion,
        device: values.device,
        platform,
        language: values.language,
        app: values.app,
        submittedAt: values.date,
        metadata,
        contentHash,
      };
      // The FeedbackItem schema is the contract; its limits are read from it once, so the produced item
      // needs a few comparisons instead of a second full parse. Tests parse every produced item with it.
      for (const { key, field, max } of LENGTH_LIMITS) {
        const value = item[key];
        if (typeof value === "string" && value.length > max) {
          const label = labels[field];
          ctx.addIssue(
            problem(
              label,
              `${label} is ${value.length} characters long; the limit is ${max}`,
              `Shorten the value in "${label}".`,
            ),
          );
          return z.NEVER;
        }
      }
      return item;
    });
}

type RowSchema = ReturnType<typeof rowSchemaFor>;
const schemas = new WeakMap<NormalizeContext, RowSchema>();

/** The row schema of a file's layout, built on the first row and reused for the rest. */
export function rowSchema(context: NormalizeContext): RowSchema {
  let schema = schemas.get(context);
  if (!schema) {
    schema = rowSchemaFor(context);
    schemas.set(context, schema);
  }
  return schema;
}

/** The first issue of a rejected row, as the reader sees it. */
export function toRowProblem(error: z.ZodError, context: NormalizeContext): RowProblem {
  const issue = error.issues[0]!;
  const params = (issue as { params?: ProblemParams }).params;
  if (params) return { field: params.field, message: issue.message, hint: params.hint };
  // Only a cell's plain-value check has no params: the path ends at the field.
  const label = context.labels[issue.path.at(-1) as CanonicalField] ?? null;
  return { field: label, message: issue.message, hint: label ? nestedDataHint(label) : "Check the row." };
}

/** The record's id as far as it can be read, for the error report. */
export function readRecordId(row: RawRow, context: NormalizeContext): string | null {
  const id = optionalText(context.labels.id).safeParse(row.values.id);
  return id.success ? id.data : null;
}
