import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { repoRoot } from "./cli.js";

/** Real app-review texts (CC-BY-4.0, see its README and NOTICE), one file per study. */
export const realReviewsDir = path.resolve(repoRoot, "../shared/data/feedback-classification");
const REAL_FILES = ["P1-Golden.csv", "P2-Golden.csv", "P3-Golden.csv", "SHAH.csv"];

/** The capstone review export's columns, in its order. */
const CAPSTONE_HEADER = ["review_id", "user_name", "rating", "review_text", "date", "app_version", "device"];

/** Every text of the `reviews` column of the study files, in file order, as written (duplicates included). */
export function loadRealReviewTexts(): string[] {
  return REAL_FILES.flatMap((file) =>
    (parse(readFileSync(path.join(realReviewsDir, file)), { columns: true, bom: true }) as { reviews: string }[]).map(
      (row) => row.reviews,
    ),
  );
}

/** Every `stride`-th text, starting at the first: a deterministic sample spread over all the files. */
export function everyNth<T>(values: readonly T[], stride: number): T[] {
  return values.filter((_, index) => index % stride === 0);
}

export interface ExportRow {
  review_id: string;
  user_name: string;
  rating: string;
  review_text: string;
  date: string;
  app_version: string;
  device: string;
}

/** What real exports vary, chosen per row by its index (deterministic). */
const USER_NAMES = ["john_doe", "", "Zoë Müller", "李小龙", "", "o'brien"];
const RATINGS = ["4", "4.0", "", "1", "5", "3.0", "2", " 5 "];
const DATES = ["2019-03-04 12:33:00", "2019-03-04T12:33:00Z", "Mar 4, 2019", "1551702780000", ""];
const VERSIONS = ["3.2.1", "", "10.0", "3.2.1-beta (1024)"];
const DEVICES = ["iPhone 14", "Samsung Galaxy S23", "", "Pixel 8 Pro", "iPad Pro (12.9-inch) (6th generation)", ""];
const LONG_TEXT_CHARS = 10_000;

/** The text of row `index`: the real one, or now and then with what real exports carry besides. */
function variedText(text: string, index: number): string {
  switch (index % 40) {
    case 1:
      return `${text}\nEdit: still the same after the update.\n\nThanks`;
    case 2:
      return `${text} My friend said "uninstall it" and I said "no, give it a week".`;
    case 3:
      return `${text} 😡👍🏽🎉`;
    case 4:
      return longText(text);
    case 5:
      return `${text} アプリが起動しません。Приложение не запускается. التطبيق لا يعمل.`;
    case 6:
      return `"${text}"`;
    default:
      return text;
  }
}

/** The text repeated to 10,000 characters, as a long rant does. */
function longText(text: string): string {
  const unit = `${text.trim() || "long"} `;
  return unit.repeat(Math.ceil(LONG_TEXT_CHARS / unit.length)).slice(0, LONG_TEXT_CHARS);
}

/** Real texts as rows of the capstone review export, with unique ids and the variations of real exports. */
export function toExportRows(texts: readonly string[]): ExportRow[] {
  return texts.map((text, index) => ({
    review_id: `real-${String(index + 1).padStart(5, "0")}`,
    user_name: USER_NAMES[index % USER_NAMES.length]!,
    rating: RATINGS[index % RATINGS.length]!,
    review_text: variedText(text, index),
    date: DATES[index % DATES.length]!,
    app_version: VERSIONS[index % VERSIONS.length]!,
    device: DEVICES[index % DEVICES.length]!,
  }));
}

/** The file line each row starts on (the header is line 1; a text with newlines spans several lines). */
export function startLines(rows: readonly ExportRow[]): number[] {
  let line = 2;
  return rows.map((row) => {
    const start = line;
    line += 1 + Object.values(row).join("").split("\n").length - 1;
    return start;
  });
}

/** Writes the rows as the capstone export does: a header line, then RFC 4180 CSV. */
export function writeExportCsv(file: string, rows: readonly ExportRow[]): void {
  writeFileSync(file, stringify(rows as ExportRow[], { header: true, columns: CAPSTONE_HEADER }));
}
