import type { RowProblem } from "./errors.js";

export const REPLACEMENT_CHARACTER = "\uFFFD";

/** Decoding turned invalid UTF-8 into U+FFFD; a row holding one is rejected instead of stored garbled. */
export function invalidBytesProblem(field: string | null, encoding: string): RowProblem {
  const where = field === null ? "" : ` in "${field}"`;
  return {
    field,
    message: `bytes that are not valid ${encoding === "utf-8" ? "UTF-8" : encoding}${where} (or a U+FFFD replacement character)`,
    hint:
      'Re-save the file as UTF-8 (Excel: "CSV UTF-8"; LibreOffice: character set "Unicode (UTF-8)"), ' +
      'or pass encoding "windows-1252" if it came from Excel on Windows.',
  };
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
