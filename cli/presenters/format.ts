import stringWidth from "string-width";
/** Small text helpers for the plain (non-Ink) presenters. */
export interface TableOptions {
  /** Widest each column may be (in terminal cells); longer values are cut with "…". */
  maxWidths?: number[];
  /** Columns never cut (ids): they keep their full width whatever the limits. */
  whole?: number[];
  /**
   * The terminal's width: the last column takes what the others leave of it (at least 20 cells) instead of its
   * maximum. Undefined when piped: the last column is then printed whole.
   */
  columns?: number;
}

const GAP = 2;
const MIN_LAST_COLUMN = 20;

/** Display width in terminal cells (CJK and emoji take two), not string length. */
const width = (value: string) => stringWidth(value);

/** `value` cut to at most `cells` terminal cells, ending in "…" when cut. */
export function clip(value: string, cells: number): string {
  if (cells <= 0) return "";
  if (width(value) <= cells) return value;
  let out = "";
  for (const char of value) {
    if (width(`${out}${char}`) > cells - 1) break;
    out += char;
  }
  return `${out}…`;
}

/** A plain-text table with a header row and a rule, aligned by display width. */
export function table(headers: string[], rows: string[][], options: TableOptions | number[] = {}): string {
  const { maxWidths = [], whole = [], columns } = Array.isArray(options) ? { maxWidths: options } : options;
  const last = headers.length - 1;
  const natural = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const widths = natural.map((w, i) => (whole.includes(i) ? w : Math.min(maxWidths[i] ?? 200, w)));
  if (columns === undefined) widths[last] = natural[last]!;
  else {
    const others = widths.slice(0, last).reduce((sum, w) => sum + w + GAP, 0);
    widths[last] = Math.min(natural[last]!, Math.max(MIN_LAST_COLUMN, columns - others));
  }
  const cell = (value: string, i: number) => {
    const clipped = clip(value, widths[i]!);
    return clipped + " ".repeat(Math.max(0, widths[i]! - width(clipped)));
  };
  const line = (cells: string[]) => cells.map(cell).join(" ".repeat(GAP)).trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function counts(record: Record<string, number>): string {
  const entries = Object.entries(record).filter(([, n]) => n > 0);
  return entries.length ? entries.map(([k, n]) => `${k} ${n}`).join(", ") : "none";
}

/** Feedback text is untrusted: strip terminal control sequences before printing it, on one line. */
export function safeText(value: string): string {
  return safeMultiline(value).replace(/\s+/g, " ");
}

/** Untrusted text shown with its line breaks: control sequences removed, lines kept. */
export function safeMultiline(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return value.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
}

/** A count as operators read it: 12,345. */
export const formatCount = (n: number): string => n.toLocaleString("en");
