import { pipeline } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { IngestFileError, type RowProblem } from "./errors.js";
import { FileSession } from "./file-session.js";
import {
  type CanonicalField,
  CSV_LAYOUTS,
  duplicateColumns,
  type LayoutMatch,
  labelsFor,
  PLAY_CONSOLE,
  resolveLayout,
  type SourceKind,
} from "./layouts.js";
import type { NormalizeContext, RawRow } from "./normalize.js";
import { adaptPlayConsoleRow } from "./play-console.js";
import { type InspectedFile, openTextStream } from "./read-file.js";
import { MAX_RECORD_CHARS, type ParseEvent, type ParseOptions, type ParseSummary } from "./types.js";
import { countNewlines, InvalidLines, invalidBytesWarning } from "./unicode.js";

/** Comma, then the two delimiters European spreadsheets and TSV exports use. */
const SUPPORTED_DELIMITERS = [",", ";", "\t"] as const;
const OTHER_DELIMITERS = ["|", "^", "~"] as const;

interface HeaderContext {
  match: LayoutMatch;
  names: string[];
  /** `match.columnOf` as pairs, so a row is mapped without allocating. */
  fieldColumns: [CanonicalField, number][];
  context: NormalizeContext;
}

/**
 * Streams a CSV export: one event per data row, in file order. Lines are the file's physical
 * lines (a quoted value spanning lines counts them all; the event names the first).
 */
export async function* parseCsv(file: InspectedFile, options: ParseOptions): AsyncGenerator<ParseEvent, ParseSummary> {
  const delimiter = chooseDelimiter(file.sample, options.source);
  const session = new FileSession(file, options.app?.trim() || null);
  // Blank lines come through as records so that counting lines needs no csv-parse `info`
  // (a tenth of the parse time): a record starts one line after the previous one ends.
  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  const invalidLines = new InvalidLines();
  const records = pipeline(openTextStream(file, invalidLines.add), parser, () => {}) as AsyncIterable<string[]>;
  let header: HeaderContext | null = null;
  let line = 0;
  let linesInPrevious = 1;
  try {
    for await (const record of records) {
      line += linesInPrevious;
      linesInPrevious = 1 + newlinesIn(record);
      if (isBlank(record)) continue;
      if (header === null) header = readHeader(file, record, line, options.source);
      else yield rowEvent(session, header, record, line, linesInPrevious, invalidLines);
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    line += linesInPrevious;
    const problem = csvSyntaxProblem(error, line, header?.names ?? []);
    if (header === null) throw new IngestFileError({ file: file.path, line, ...problem });
    session.complete = false;
    yield session.reject(problem, line);
  }
  if (header === null) {
    throw new IngestFileError({
      file: file.path,
      line: 1,
      field: null,
      message: "no header row",
      hint: "Add a header row.",
    });
  }
  if (session.read === 0) {
    throw new IngestFileError({
      file: file.path,
      line: 1,
      message: "the file has a header row but no data rows",
      hint: "Export again with the date range that holds the feedback, or check that this is the right file.",
    });
  }
  const layout = header.match.layout;
  return session.summary(layout === PLAY_CONSOLE ? "play-console-csv" : "csv", layout);
}

function rowEvent(
  session: FileSession,
  header: HeaderContext,
  record: string[],
  line: number,
  lineCount: number,
  invalidLines: InvalidLines,
): ParseEvent {
  const { names, context } = header;
  const invalid = invalidLines.within(line, line + lineCount - 1);
  if (record.length !== names.length && !onlyEmptyBeyond(record, names.length)) {
    return session.reject(columnCountProblem(record.length, names.length, line, lineCount), line);
  }
  return session.accept(toRawRow(record, header), line, context, invalid ? [invalidBytesWarning(invalid)] : []);
}

function toRawRow(values: string[], { names, match, fieldColumns, context }: HeaderContext): RawRow {
  const row: RawRow = { values: {}, metadata: {} };
  for (const [field, index] of fieldColumns) row.values[field] = values[index];
  for (const index of match.extraColumns) {
    const value = values[index]?.trim();
    if (value) row.metadata[names[index] || `column_${index + 1}`] = value;
  }
  if (match.layout === PLAY_CONSOLE) adaptPlayConsoleRow(row, context.labels.id);
  return row;
}

function readHeader(
  file: InspectedFile,
  record: string[],
  line: number,
  source: SourceKind | undefined,
): HeaderContext {
  const names = record.map((name) => name.trim());
  const resolution = resolveLayout(names, CSV_LAYOUTS, source);
  if (!resolution.ok) {
    const { problem } = resolution;
    const delimiterHint = names.length === 1 ? unsupportedDelimiterHint(names[0]!) : "";
    throw new IngestFileError({ file: file.path, line, ...problem, hint: `${delimiterHint}${problem.hint}` });
  }
  const { match } = resolution;
  const duplicate = duplicateColumns(names, match);
  if (duplicate) throw new IngestFileError({ file: file.path, line, ...duplicate });
  const layout = match.layout;
  const context: NormalizeContext = {
    kind: layout.kind,
    sourceType: layout.sourceType,
    labels: labelsFor(layout, match.labels),
    ...(layout === PLAY_CONSOLE ? { fixedPlatform: "android" as const, useSubjectWhenTextEmpty: true } : {}),
  };
  const fieldColumns = Object.entries(match.columnOf) as [CanonicalField, number][];
  return { match, names, fieldColumns, context };
}

/** Tries the header line with each supported delimiter; the first that yields a known layout wins. */
export function chooseDelimiter(sample: string, source?: SourceKind): string {
  const newline = sample.indexOf("\n");
  const headerLine = newline === -1 ? sample : sample.slice(0, newline);
  let widest: { delimiter: string; columns: number } = { delimiter: ",", columns: 0 };
  for (const delimiter of SUPPORTED_DELIMITERS) {
    const headers = splitHeaderLine(headerLine, delimiter);
    if (resolveLayout(headers, CSV_LAYOUTS, source).ok) return delimiter;
    if (headers.length > widest.columns) widest = { delimiter, columns: headers.length };
  }
  return widest.delimiter;
}

function splitHeaderLine(line: string, delimiter: string): string[] {
  try {
    const rows = parseSync(line, { delimiter, relax_quotes: true, relax_column_count: true, to_line: 1 }) as string[][];
    return rows[0]?.map((name) => name.trim()) ?? [];
  } catch {
    return line.split(delimiter).map((name) => name.trim());
  }
}

function unsupportedDelimiterHint(headerLine: string): string {
  const used = OTHER_DELIMITERS.find((d) => headerLine.split(d).length > 2);
  return used ? `The header looks "${used}"-delimited; save the file as comma-separated CSV. ` : "";
}

function newlinesIn(record: string[]): number {
  let count = 0;
  for (const value of record) if (value.includes("\n")) count += countNewlines(value);
  return count;
}

function isBlank(record: string[]): boolean {
  return record.every((value) => value.trim().length === 0);
}

/** Trailing delimiters ("a,b,c,,") add empty fields that carry nothing; they are not an error. */
function onlyEmptyBeyond(record: string[], width: number): boolean {
  if (record.length < width) return false;
  for (let i = width; i < record.length; i++) if (record[i]!.trim().length > 0) return false;
  return true;
}

function columnCountProblem(found: number, expected: number, line: number, lineCount: number): RowProblem {
  if (lineCount > 1) {
    return {
      field: null,
      message: `the row spans lines ${line}-${line + lineCount - 1} and has ${found} values, but the header has ${expected} columns`,
      hint: `A double quote on line ${line} is probably not closed, so the next lines were read into one value; close it, or double quotes inside values ("").`,
    };
  }
  return {
    field: null,
    message: `the row has ${found} values but the header has ${expected} columns`,
    hint:
      found > expected
        ? "A value probably contains an unquoted comma; put double quotes around values that contain commas."
        : "A value or a comma is missing, or an unquoted value breaks across lines; quote values that contain line breaks.",
  };
}

function csvSyntaxProblem(error: CsvError, line: number, names: string[]): RowProblem {
  const column = typeof error.column === "number" ? (names[error.column] ?? null) : null;
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return {
        field: column,
        message: `a quoted value that starts on line ${line} is never closed, so reading stopped there`,
        hint: `Add the missing closing double quote (") on line ${line}, or double any quote inside the value ("").`,
      };
    case "CSV_MAX_RECORD_SIZE":
      return {
        field: column,
        message: `the row starting on line ${line} is longer than ${MAX_RECORD_CHARS / (1024 * 1024)} MB, so reading stopped there`,
        hint: `This is almost always a double quote opened on line ${line} and never closed; close it.`,
      };
    default:
      return {
        field: column,
        message: `the CSV is malformed here (${error.message}), so reading stopped`,
        hint: 'Check the quoting on this line: quote whole values and double any quote inside them ("").',
      };
  }
}
