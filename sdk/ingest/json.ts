import {
  APP_STORE_CONNECT,
  APP_STORE_CONNECT_CONTEXT,
  appStoreConnectRow,
  isPlainObject,
  looksLikeAppStoreConnectReview,
} from "./app-store-connect.js";
import { IngestFileError, type RowProblem } from "./errors.js";
import { FileSession } from "./file-session.js";
import { JsonRecordScanner, JsonStructureError, type ScannedRecord } from "./json-scanner.js";
import {
  APP_REVIEWS,
  type CanonicalField,
  type LayoutDefinition,
  labelsFor,
  normalizeHeaderName,
  resolveLayout,
  SUPPORT_EMAILS,
} from "./layouts.js";
import type { NormalizeContext, RawRow } from "./normalize.js";
import { type InspectedFile, openTextStream } from "./read-file.js";
import { MAX_RECORD_CHARS, type ParseEvent, type ParseOptions, type ParseSummary } from "./types.js";
import { countNewlines, InvalidLines, invalidBytesWarning } from "./unicode.js";

type RecordLayout =
  | { kind: "generic"; layout: LayoutDefinition; fieldByName: Map<string, CanonicalField>; context: NormalizeContext }
  | { kind: "app-store-connect"; context: NormalizeContext };

const JSON_LAYOUTS = [APP_REVIEWS, SUPPORT_EMAILS];
const POSITION = / in JSON at position (\d+)/;
const POSITION_SUFFIX = / in JSON at position.*$/s;

/** JSON (array of records, `{ data: [...] }`, or an array of such pages) and NDJSON. */
export async function* parseJson(
  file: InspectedFile,
  options: ParseOptions,
  format: "json" | "ndjson",
): AsyncGenerator<ParseEvent, ParseSummary> {
  const reader = new JsonRecordReader(file, options);
  if (format === "json") yield* reader.readDocument();
  else yield* reader.readLines();
  return reader.finish(format);
}

class JsonRecordReader {
  readonly session: FileSession;
  private layout: RecordLayout | null = null;
  private readonly invalidLines = new InvalidLines();

  constructor(
    readonly file: InspectedFile,
    readonly options: ParseOptions,
  ) {
    this.session = new FileSession(file, options.app?.trim() || null);
  }

  async *readDocument(): AsyncGenerator<ParseEvent> {
    const scanner = new JsonRecordScanner(1, MAX_RECORD_CHARS);
    const scanned: ScannedRecord[] = [];
    try {
      for await (const chunk of openTextStream(this.file, this.invalidLines.add)) {
        scanner.push(chunk as string, scanned);
        yield* this.drain(scanned);
      }
      scanner.end(scanned);
      yield* this.drain(scanned);
    } catch (error) {
      if (!(error instanceof JsonStructureError)) throw error;
      yield* this.drain(scanned);
      this.session.complete = false;
      yield this.session.reject(
        {
          field: null,
          message: `malformed JSON at line ${error.line}, column ${error.column}: ${error.message}; reading stopped there`,
          hint: "Fix the JSON syntax at that position (a JSON validator or `jq . file` shows it).",
        },
        error.line,
      );
      return;
    }
    if (scanner.topLevel === "object" && !scanner.sawDataArray) yield* this.readSingleObject(scanner.objectValues);
  }

  async *readLines(): AsyncGenerator<ParseEvent> {
    let lineNumber = 0;
    let partial = "";
    let oversized = false;
    for await (const chunk of openTextStream(this.file, this.invalidLines.add)) {
      const text = chunk as string;
      let start = 0;
      for (let newline = text.indexOf("\n"); newline !== -1; newline = text.indexOf("\n", start)) {
        lineNumber++;
        if (!oversized) yield* this.readLine(partial + text.slice(start, newline), lineNumber);
        partial = "";
        oversized = false;
        start = newline + 1;
      }
      if (oversized) continue;
      partial += text.slice(start);
      if (partial.length > MAX_RECORD_CHARS) {
        yield this.session.reject(
          {
            field: null,
            message: `the line is longer than ${MAX_RECORD_CHARS / 1048576} MB`,
            hint: "Each NDJSON line must be one record; check that the file really is NDJSON.",
          },
          lineNumber + 1,
        );
        partial = "";
        oversized = true;
      }
    }
    if (partial.trim().length > 0 && !oversized) yield* this.readLine(partial, lineNumber + 1);
  }

  finish(format: "json" | "ndjson"): ParseSummary {
    if (this.session.read === 0) {
      throw new IngestFileError({
        file: this.file.path,
        line: null,
        message: "the file holds no records",
        hint: "Export again with the date range that holds the feedback, or check that this is the right file.",
      });
    }
    const layout = this.layout;
    if (layout?.kind === "app-store-connect") return this.session.summary("app-store-connect-json", APP_STORE_CONNECT);
    return this.session.summary(format, layout?.layout ?? APP_REVIEWS);
  }

  private *drain(scanned: ScannedRecord[]): Generator<ParseEvent> {
    for (const record of scanned) yield* this.readScanned(record);
    scanned.length = 0;
  }

  private *readScanned(scanned: ScannedRecord): Generator<ParseEvent> {
    let value: unknown;
    try {
      value = JSON.parse(scanned.text);
    } catch (error) {
      yield this.syntaxError(error as Error, scanned.text, scanned.line, scanned.column);
      return;
    }
    if (isPage(value)) {
      // A page inside an array of pages: scan it again to learn the line of each review.
      const inner = new JsonRecordScanner(scanned.line);
      const records: ScannedRecord[] = [];
      inner.push(" ".repeat(scanned.column - 1) + scanned.text, records);
      for (const record of records) yield* this.readScanned(record);
      return;
    }
    const last = this.invalidLines.empty ? scanned.line : scanned.line + countNewlines(scanned.text);
    yield* this.readValue(value, scanned.line, last);
  }

  private *readLine(text: string, line: number): Generator<ParseEvent> {
    if (text.trim().length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield this.syntaxError(error as Error, text, line, 1);
      return;
    }
    if (isPage(value)) for (const record of value.data) yield* this.readValue(record, line);
    else if (Array.isArray(value)) for (const record of value) yield* this.readValue(record, line);
    else yield* this.readValue(value, line);
  }

  private *readSingleObject(values: Map<string, string>): Generator<ParseEvent> {
    const keys = [...values.keys()];
    const dataText = values.get("data");
    if (dataText !== undefined) {
      // A single-resource response, e.g. GET /v1/customerReviews/{id}: `data` is the one record.
      const data: unknown = JSON.parse(dataText);
      if (!isPlainObject(data))
        throw this.shapeError(`"data" is ${describeJsonType(data)}, not an array of records`, keys);
      yield* this.readValue(data, 1, Number.POSITIVE_INFINITY);
      return;
    }
    const record: Record<string, unknown> = {};
    for (const [key, text] of values) record[key] = JSON.parse(text);
    const looksLikeRecord =
      looksLikeAppStoreConnectReview(record) || resolveLayout(keys, JSON_LAYOUTS, this.options.source, "field").ok;
    if (!looksLikeRecord) throw this.shapeError('the top-level object has no "data" array of records', keys);
    yield* this.readValue(record, 1, Number.POSITIVE_INFINITY);
  }

  private *readValue(value: unknown, line: number, lastLine = line): Generator<ParseEvent> {
    if (!isPlainObject(value)) {
      yield this.session.reject(
        {
          field: null,
          message: `expected a record (a JSON object), found ${describeJsonType(value)}`,
          hint: 'Each record must be an object such as {"review_id": "R1", "rating": 5, "review_text": "..."}.',
        },
        line,
      );
      return;
    }
    const layout = this.layout ?? this.chooseLayout(value, line);
    const row = this.toRawRow(value, layout);
    if ("message" in row) {
      yield this.session.reject(row, line, typeof value.id === "string" ? value.id : null);
      return;
    }
    const invalid = this.invalidLines.within(line, lastLine);
    yield this.session.accept(row, line, layout.context, invalid ? [invalidBytesWarning(invalid)] : []);
  }

  private chooseLayout(record: Record<string, unknown>, line: number): RecordLayout {
    if (looksLikeAppStoreConnectReview(record)) {
      if (this.options.source === "email") {
        throw new IngestFileError({
          file: this.file.path,
          line,
          message: 'the records look like App Store Connect reviews, but source "email" was requested',
          hint: 'Drop the source option to auto-detect, or pass source "review".',
        });
      }
      this.layout = { kind: "app-store-connect", context: APP_STORE_CONNECT_CONTEXT };
      return this.layout;
    }
    const keys = Object.keys(record);
    const resolution = resolveLayout(keys, JSON_LAYOUTS, this.options.source, "field");
    if (!resolution.ok) throw new IngestFileError({ file: this.file.path, line, ...resolution.problem });
    const { layout, labels } = resolution.match;
    const fieldByName = new Map<string, CanonicalField>();
    for (const spec of layout.fields)
      for (const name of spec.names) fieldByName.set(normalizeHeaderName(name), spec.field);
    this.layout = {
      kind: "generic",
      layout,
      fieldByName,
      context: { kind: layout.kind, sourceType: layout.sourceType, labels: labelsFor(layout, labels) },
    };
    return this.layout;
  }

  private toRawRow(record: Record<string, unknown>, layout: RecordLayout): RawRow | RowProblem {
    if (layout.kind === "app-store-connect") return appStoreConnectRow(record);
    const row: RawRow = { values: {}, metadata: {} };
    for (const [key, value] of Object.entries(record)) {
      const field = layout.fieldByName.get(normalizeHeaderName(key));
      if (field !== undefined && row.values[field] === undefined) row.values[field] = value;
      else if (value !== null && value !== undefined && value !== "") row.metadata[key] = value;
    }
    return row;
  }

  private syntaxError(error: Error, text: string, line: number, column: number): ParseEvent {
    const position = POSITION.exec(error.message);
    let at = { line, column };
    if (position) {
      const offset = Number(position[1]);
      const newlines = countNewlines(text, offset);
      at =
        newlines === 0
          ? { line, column: column + offset }
          : { line: line + newlines, column: offset - text.lastIndexOf("\n", offset - 1) };
    }
    const reason = error.message.replace(POSITION_SUFFIX, "");
    return this.session.reject(
      {
        field: null,
        message: `malformed JSON at line ${at.line}, column ${at.column}: ${reason}`,
        hint: "Fix the JSON syntax there (common causes: a missing comma, a trailing comma, unquoted keys or single quotes).",
      },
      at.line,
    );
  }

  private shapeError(message: string, keys: string[]): IngestFileError {
    return new IngestFileError({
      file: this.file.path,
      line: 1,
      message: `${message} (top-level keys: ${keys.map((k) => `"${k}"`).join(", ") || "none"})`,
      hint: 'Put the records in a top-level array ([{...}, {...}]) or under "data" ({"data": [{...}]}).',
    });
  }
}

function isPage(value: unknown): value is { data: unknown[] } {
  return isPlainObject(value) && Array.isArray(value.data);
}

function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value} (${JSON.stringify(value).slice(0, 40)})`;
}
