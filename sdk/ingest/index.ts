import type { FeedbackItem } from "../schemas/feedback.js";
import { parseCsv } from "./csv.js";
import { detectFormat } from "./detect-format.js";
import type { RowError } from "./errors.js";
import { parseJson } from "./json.js";
import { detectMailFormat, emlFilesUnder, parseMailFile, parseMailFolder } from "./mail/mail-files.js";
import { inspectFile } from "./read-file.js";
import type { ParseEvent, ParseOptions, ParseSummary } from "./types.js";

export { computeContentHash, contentDerivedId, normalizeForHash } from "./content-hash.js";
export { ACCEPTED_DATE_FORMS, type DateParseResult, parseDate } from "./dates.js";
export { TEXT_ENCODINGS, type TextEncoding } from "./decode.js";
export { describeLocation, formatRowError, IngestFileError, type RowError } from "./errors.js";
export { type LayoutDefinition, normalizeHeaderName, type SourceKind } from "./layouts.js";
export type { IngestFormat, ParseEvent, ParseOptions, ParseSummary } from "./types.js";

/**
 * Reads one feedback file (CSV, JSON, NDJSON, an .eml message or an mbox archive; or a folder of .eml files) and yields its records as standard FeedbackItems, interleaved with
 * row errors, in file order; the generator's return value is the summary. Memory stays flat in
 * the file size (apart from the set of ids seen, for duplicate detection).
 *
 * Throws `IngestFileError` (a `ValidationError`) when the file as a whole cannot be read:
 * missing, a directory, empty, binary, header-only, or a layout that matches nothing.
 *
 * ```ts
 * const events = parseFeedbackFile("reviews.csv");
 * let next = await events.next();
 * for (; !next.done; next = await events.next()) handle(next.value);
 * const summary = next.value;
 * ```
 */
export async function* parseFeedbackFile(
  path: string,
  options: ParseOptions = {},
): AsyncGenerator<ParseEvent, ParseSummary, undefined> {
  const emlFiles = await emlFilesUnder(path);
  if (emlFiles && emlFiles.length > 0) return yield* parseMailFolder(path, emlFiles, options);
  const file = { ...(await inspectFile(path, options.encoding)), onBytesRead: options.onBytesRead };
  const mail = detectMailFormat(path, file.sample);
  if (mail) return yield* parseMailFile(file, mail, options);
  const format = detectFormat(path, file.sample);
  if (format === "csv") return yield* parseCsv(file, options);
  return yield* parseJson(file, options, format);
}

export interface ParsedFile {
  items: { item: FeedbackItem; line: number }[];
  errors: RowError[];
  /** Warnings of kept rows, in file order. */
  warnings: RowError[];
  summary: ParseSummary;
}

/** Reads a whole file into memory; for small files, tests and previews. */
export async function collectFeedbackFile(path: string, options: ParseOptions = {}): Promise<ParsedFile> {
  const items: ParsedFile["items"] = [];
  const errors: RowError[] = [];
  const warnings: RowError[] = [];
  const events = parseFeedbackFile(path, options);
  let next = await events.next();
  for (; !next.done; next = await events.next()) {
    if (next.value.kind === "item") {
      items.push({ item: next.value.item, line: next.value.line });
      warnings.push(...(next.value.warnings ?? []));
    } else errors.push(next.value.error);
  }
  return { items, errors, warnings, summary: next.value };
}
