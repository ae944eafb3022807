import { contentDerivedId } from "./content-hash.js";
import type { RowProblem } from "./errors.js";
import type { LayoutDefinition } from "./layouts.js";
import { type NormalizeContext, normalizeRow, type RawRow } from "./normalize.js";
import type { InspectedFile } from "./read-file.js";
import { screenRow } from "./storable-row.js";
import type { IngestFormat, ParseEvent, ParseSummary } from "./types.js";

/** Per-file bookkeeping shared by the CSV and JSON readers: counts and duplicate ids. */
export class FileSession {
  read = 0;
  valid = 0;
  rejected = 0;
  warned = 0;
  complete = true;
  /** Ids grow with the file, but only as short strings: 100,000 rows cost a few MB. */
  private readonly firstLineOfId = new Map<string, number>();

  /** `defaultApp`: the app of items whose record names none (ParseOptions.app). */
  constructor(
    readonly file: InspectedFile,
    private readonly defaultApp: string | null = null,
  ) {}

  /**
   * Applies the input rule (storable-row.ts), validates one record and returns the event to yield.
   * `warnings` are the reader's own (bytes read as U+FFFD); they go with the item if it is kept.
   */
  accept(row: RawRow, line: number, context: NormalizeContext, warnings: RowProblem[] = []): ParseEvent {
    this.read++;
    const screened = screenRow(row, context);
    if (!screened.ok) return this.errorEvent(screened.problem, line, null);
    const result = normalizeRow(screened.row, context);
    if (!result.ok) return this.errorEvent(result.problem, line, result.recordId);
    const { item } = result;
    if (item.app === null && this.defaultApp) item.app = this.defaultApp;
    const firstLine = this.firstLineOfId.get(item.sourceId);
    if (firstLine !== undefined) {
      const derived = item.sourceId === contentDerivedId(item.contentHash);
      const label = context.labels.id;
      return this.errorEvent(
        derived
          ? {
              field: context.labels.text,
              message: `same text as line ${firstLine}, which has no ${label} either; the first row was kept`,
              hint: `Delete the repeated row, or give each row its own ${label}.`,
            }
          : {
              field: label,
              message: `duplicate ${label} "${item.sourceId}": line ${firstLine} already uses it; the first row was kept`,
              hint: `Give every row a unique ${label}, or delete the repeated row.`,
            },
        line,
        item.sourceId,
      );
    }
    this.firstLineOfId.set(item.sourceId, line);
    this.valid++;
    const all = [...warnings, ...screened.warnings];
    if (all.length === 0) return { kind: "item", item, line };
    this.warned++;
    return { kind: "item", item, line, warnings: all.map((w) => ({ file: this.file.path, line, ...w })) };
  }

  /** A record that never reached normalisation (bad bytes, wrong column count, broken syntax). */
  reject(problem: RowProblem, line: number | null, recordId: string | null = null): ParseEvent {
    this.read++;
    return this.errorEvent(problem, line, recordId);
  }

  summary(
    format: IngestFormat,
    layout: LayoutDefinition | { name: string; sourceType: LayoutDefinition["sourceType"] },
  ): ParseSummary {
    return {
      file: this.file.path,
      format,
      sourceType: layout.sourceType,
      layout: layout.name,
      encoding: this.file.encoding,
      read: this.read,
      valid: this.valid,
      rejected: this.rejected,
      warned: this.warned,
      complete: this.complete,
    };
  }

  private errorEvent(problem: RowProblem, line: number | null, recordId: string | null): ParseEvent {
    this.rejected++;
    return { kind: "error", error: { file: this.file.path, line, ...problem, recordId } };
  }
}
