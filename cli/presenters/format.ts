import stringWidth from "string-width";
/** Small text helpers for the plain (non-Ink) presenters. */
export interface TableOptions {
  /** Widest each column may be (in terminal cells); longer values are cut with "…". */
  maxWidths?: number[];
  /** Columns never cut: they keep their full width whatever the limits. */
  whole?: number[];
  /**
   * Id columns: never cut or wrapped; printed whole, or as their SHORT_ID-character prefix (which every command
   * accepts) when the terminal is too narrow for them whole.
   */
  ids?: number[];
  /** Free-text columns that give up cells (down to their header's width) so that the row fits the terminal. */
  shrink?: number[];
  /**
   * The terminal's width: the last column takes what the others leave of it (at least 20 cells unless it may
   * shrink) instead of its maximum. Undefined when piped: the last column is then printed whole, ids in full.
   */
  columns?: number;
  /** Cells between columns. */
  gap?: number;
}

/** How many characters of an id a narrow terminal shows (commands accept prefixes of 6 or more). */
export const SHORT_ID = 8;
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

/** The column widths a table gets, and its rows (ids shortened when the terminal is too narrow for them whole). */
export function fitTable(
  headers: string[],
  rows: string[][],
  options: TableOptions = {},
): { widths: number[]; rows: string[][] } {
  const { ids = [], shrink = [], columns, gap = GAP } = options;
  const last = headers.length - 1;
  const layout = naturalWidths(headers, rows, options);
  if (columns === undefined) return { widths: layout.widths.with(last, layout.natural[last]!), rows };
  const lastFloor = (natural: number[]) =>
    shrink.includes(last) ? Math.min(natural[last]!, width(headers[last]!)) : MIN_LAST_COLUMN;
  const floors = (widths: number[]) => widths.map((w, i) => (shrink.includes(i) ? Math.min(w, width(headers[i]!)) : w));
  // Ids are shortened before any free text is cut: whole only when every other column and 20 cells of the last fit.
  const least = (l: typeof layout) =>
    l.widths.slice(0, last).reduce((sum, w) => sum + w + gap, Math.min(l.natural[last]!, MIN_LAST_COLUMN));
  let fitted = rows;
  let { natural, widths } = layout;
  if (ids.length > 0 && least(layout) > columns) {
    fitted = rows.map((row) => row.map((value, i) => (ids.includes(i) ? value.slice(0, SHORT_ID) : value)));
    ({ natural, widths } = naturalWidths(headers, fitted, options));
  }
  const floor = floors(widths);
  const others = () => widths.slice(0, last).reduce((sum, w) => sum + w + gap, 0);
  const wanted = Math.min(natural[last]!, MIN_LAST_COLUMN);
  while (columns - others() < wanted) {
    const widest = shrink
      .filter((i) => i !== last && widths[i]! > floor[i]!)
      .sort((a, b) => widths[b]! - widths[a]!)[0];
    if (widest === undefined) break;
    widths[widest]! -= 1;
  }
  widths[last] = Math.min(natural[last]!, Math.max(lastFloor(natural), columns - others()));
  return { widths, rows: fitted };
}

function naturalWidths(headers: string[], rows: string[][], options: TableOptions) {
  const { maxWidths = [], whole = [], ids = [] } = options;
  const natural = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const widths = natural.map((w, i) => (whole.includes(i) || ids.includes(i) ? w : Math.min(maxWidths[i] ?? 200, w)));
  return { natural, widths };
}

/** A plain-text table with a header row and a rule, aligned by display width. */
export function table(headers: string[], rows: string[][], options: TableOptions | number[] = {}): string {
  const opts = Array.isArray(options) ? { maxWidths: options } : options;
  const fitted = fitTable(headers, rows, opts);
  const cell = (value: string, i: number) => {
    const clipped = clip(value, fitted.widths[i]!);
    return clipped + " ".repeat(Math.max(0, fitted.widths[i]! - width(clipped)));
  };
  const line = (cells: string[]) =>
    cells
      .map(cell)
      .join(" ".repeat(opts.gap ?? GAP))
      .trimEnd();
  return [line(headers), line(fitted.widths.map((w) => "-".repeat(w))), ...fitted.rows.map(line)].join("\n");
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
