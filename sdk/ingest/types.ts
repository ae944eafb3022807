import type { FeedbackItem, SourceType } from "../schemas/feedback.js";
import type { TextEncoding } from "./decode.js";
import type { RowError } from "./errors.js";
import type { SourceKind } from "./layouts.js";

export type IngestFormat = "csv" | "json" | "ndjson" | "play-console-csv" | "app-store-connect-json" | "eml" | "mbox";

export interface ParseOptions {
  /** Force the kind of source; a file whose columns say otherwise is rejected. Default: detect. */
  source?: SourceKind;
  /** Override encoding detection (BOM, UTF-16 heuristics, UTF-8, else windows-1252). */
  encoding?: TextEncoding;
  /** The app of items whose file names none (no package name, app id or `app` column). */
  app?: string;
  /** How far into the file reading is, in bytes from its start: called as chunks are read (not for .eml folders). */
  onBytesRead?: (bytes: number) => void;
}

/** An item may carry warnings: what was dropped or replaced on its way in (the row itself was kept). */
export type ParseEvent =
  | { kind: "item"; item: FeedbackItem; line: number; warnings?: RowError[] }
  | { kind: "error"; error: RowError };

export interface ParseSummary {
  file: string;
  format: IngestFormat;
  sourceType: SourceType;
  /** "app-reviews", "support-emails", "play-console" or "app-store-connect". */
  layout: string;
  encoding: TextEncoding;
  /** Records seen (blank lines and the header excluded). */
  read: number;
  valid: number;
  rejected: number;
  /** Kept records that carry a warning (a dropped value, bytes read as U+FFFD). */
  warned: number;
  /** False when a structural error (an unclosed quote, broken JSON) stopped reading early. */
  complete: boolean;
}

/** A record this large is almost always an unclosed quote swallowing the rest of the file. */
export const MAX_RECORD_CHARS = 8 * 1024 * 1024;
