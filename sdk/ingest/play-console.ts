import type { RawRow } from "./normalize.js";

const REVIEW_ID_PARAMETER = /[?&]reviewid=([^&#\s]+)/i;

/** ".../review-details?reviewid=gp:AOqpTO...&corpus=..." -> "gp:AOqpTO...". */
export function reviewIdFromLink(link: string): string | null {
  const match = REVIEW_ID_PARAMETER.exec(link);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1]!;
  }
}

/** The Play export has no id column: take it from the link, and keep the link in metadata. */
export function adaptPlayConsoleRow(row: RawRow, linkLabel: string): void {
  const link = typeof row.values.id === "string" ? row.values.id.trim() : "";
  row.values.id = link ? reviewIdFromLink(link) : null;
  if (link) row.metadata[linkLabel] = link;
}
