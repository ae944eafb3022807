import type { RowProblem } from "./errors.js";

/** Invalid UTF-8 was decoded as U+FFFD: the row is kept as read, with this warning naming its line. */
export function invalidBytesWarning(lines: { first: number; last: number }): RowProblem {
  const where = lines.first === lines.last ? `line ${lines.first}` : `lines ${lines.first}-${lines.last}`;
  return {
    field: null,
    message: `${where} held bytes that are not valid UTF-8; they were read as U+FFFD (\uFFFD) and the row was kept`,
    hint:
      "If the file came from Excel on Windows, ingest it again with --encoding windows-1252 (or latin1); " +
      'otherwise re-save it as UTF-8 (Excel: "CSV UTF-8").',
  };
}

/**
 * The lines the decoder reported as holding invalid UTF-8, in increasing order. The decoder runs ahead of the
 * parsers, so by the time a record is read every bad line up to its end has been reported.
 */
export class InvalidLines {
  private readonly lines: number[] = [];
  private next = 0;

  readonly add = (line: number): void => {
    this.lines.push(line);
  };

  /** True when no reported line is still ahead of the reader. */
  get empty(): boolean {
    return this.next >= this.lines.length;
  }

  /** The first and last reported lines within `first..last`; earlier ones are forgotten. */
  within(first: number, last: number): { first: number; last: number } | null {
    while (this.next < this.lines.length && this.lines[this.next]! < first) this.next++;
    let end = this.next;
    while (end < this.lines.length && this.lines[end]! <= last) end++;
    const found = end > this.next ? { first: this.lines[this.next]!, last: this.lines[end - 1]! } : null;
    if (this.next > 1024) {
      this.lines.splice(0, this.next);
      this.next = 0;
    }
    return found;
  }
}

export function countNewlines(text: string, end = text.length): number {
  let count = 0;
  let at = text.indexOf("\n");
  while (at !== -1 && at < end) {
    count++;
    at = text.indexOf("\n", at + 1);
  }
  return count;
}
