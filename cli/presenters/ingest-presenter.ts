import { displayPath } from "../../app/ingest/ingest-service.js";
import type { IngestSummaryJson } from "../output-schemas.js";
import { counts } from "./format.js";

function rowProblems(lines: string[], title: string, problems: IngestSummaryJson["errors"], omitted: number): void {
  if (problems.length === 0) return;
  lines.push("", title);
  for (const e of problems) {
    const where = [
      displayPath(e.file),
      e.line !== null ? `line ${e.line}` : null,
      e.field ? `field '${e.field}'` : null,
    ]
      .filter(Boolean)
      .join(", ");
    lines.push(`  ${where}: ${e.message}`, `    fix: ${e.hint}`);
  }
  if (omitted > 0) lines.push(`  … and ${omitted} more (use --json for the full list)`);
}

export function ingestText(summary: IngestSummaryJson): string {
  const lines: string[] = [];
  for (const file of summary.files) {
    if (file.error) {
      lines.push(`✗ ${displayPath(file.file)}: ${file.error}`);
      continue;
    }
    lines.push(
      // An interrupted file (Ctrl-C) stops before its layout is reported.
      `${displayPath(file.file)}${file.format ? ` (${file.format}, ${file.sourceType})` : ""}: read ${file.read}, valid ${file.valid}, ` +
        `rejected ${file.rejected}, ${summary.dryRun ? "would enqueue" : "enqueued"} ${summary.dryRun ? file.valid : file.enqueued}, ` +
        `duplicates skipped ${file.duplicatesSkipped}`,
    );
  }
  rowProblems(lines, "Rejected rows:", summary.errors, summary.errorsOmitted);
  rowProblems(lines, "Warnings (rows kept):", summary.warnings, summary.warningsOmitted);
  const t = summary.totals;
  lines.push(
    "",
    `Total: read ${t.read}, valid ${t.valid}, rejected ${t.rejected}, ${summary.dryRun ? "nothing enqueued (dry run)" : `enqueued ${t.enqueued}`}, duplicates skipped ${t.duplicatesSkipped}`,
  );
  if (summary.processed) {
    const p = summary.processed;
    lines.push(
      `Processed: ${p.ticketsCreated} tickets created, ${p.duplicates} duplicates, ${p.failed} failed`,
      `  by priority: ${counts(p.byPriority)}`,
      `  by category: ${counts(p.byCategory)}`,
    );
    if (p.threadReplies > 0) {
      lines.push(`  ${p.threadReplies} e-mail replies joined the ticket of their thread (see 'tickets show <id>')`);
    }
  }
  return lines.join("\n");
}
