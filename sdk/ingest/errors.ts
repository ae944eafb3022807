import { ValidationError } from "../errors.js";

/** One rejected row (or record) of an input file. The rest of the file is still read. */
export interface RowError {
  /** The path as the caller gave it. */
  file: string;
  /** 1-based line where the record starts; null when the problem has no line. */
  line: number | null;
  /** The column (or JSON key) as spelled in the file; null when the whole row is at fault. */
  field: string | null;
  message: string;
  /** What to change in the file to fix it. */
  hint: string;
  recordId?: string | null;
}

/** What went wrong in a row, before the file and line are attached. */
export interface RowProblem {
  field: string | null;
  message: string;
  hint: string;
}

/**
 * The whole file cannot be read: missing, a directory, empty, binary, an unknown layout...
 * A `ValidationError`, so callers that only know the SDK hierarchy still treat it as user-fixable.
 */
export class IngestFileError extends ValidationError {
  readonly file: string;
  readonly line: number | null;
  readonly field: string | null;
  /** The message without the file/line prefix. */
  readonly reason: string;

  constructor(problem: {
    file: string;
    line?: number | null;
    field?: string | null;
    message: string;
    hint: string;
    cause?: unknown;
  }) {
    const line = problem.line ?? null;
    super(`${describeLocation(problem.file, line)}: ${problem.message}`, {
      hint: problem.hint,
      cause: problem.cause,
    });
    this.file = problem.file;
    this.line = line;
    this.field = problem.field ?? null;
    this.reason = problem.message;
  }
}

export function describeLocation(file: string, line: number | null): string {
  return line === null ? file : `${file}:${line}`;
}

/** One line for a terminal: `reviews.csv:12 [rating] rating must be ... Hint: ...` */
export function formatRowError(error: RowError): string {
  const field = error.field === null ? "" : ` [${error.field}]`;
  return `${describeLocation(error.file, error.line)}${field} ${error.message}. ${error.hint}`;
}
