import type { LegacyImportSummary } from "../../app/import/legacy-summary.js";
import { formatRowError } from "../../sdk/ingest/index.js";
import { safeText } from "./format.js";

export function legacyImportText(s: LegacyImportSummary): string {
  const lines = [
    `${s.dryRun ? "Dry run (nothing written): " : ""}${s.file}: ${s.read} rows read, ${s.valid} valid, ${s.rejected} rejected; ${s.created} tickets ${s.dryRun ? "would be imported" : "imported"}, ${s.duplicates} already there`,
  ];
  if (s.errors.length) {
    lines.push("", "Rejected rows:", ...s.errors.map((e) => `  ${safeText(formatRowError(e))}`));
    if (s.errorsOmitted) lines.push(`  ... and ${s.errorsOmitted} more`);
  }
  return lines.join("\n");
}
