import type { ErasureHistory, ErasureResult } from "../../app/privacy/erase-service.js";
import { counts, table } from "./format.js";

const KIND_LABELS: Record<keyof ErasureResult["counts"], string> = {
  feedbackItems: "feedback items (theirs)",
  feedbackMentions: "feedback items naming them",
  tickets: "tickets",
  ticketHistory: "ticket history entries",
  processingLogs: "processing logs",
  queueMessages: "queue messages",
  deadLetters: "dead letters",
  embeddings: "grouping embeddings",
  artifacts: "artifacts (DLQ copy, report)",
};

/** `privacy erase`: what changed (or would), per kind, the tickets touched, and what was not searched. */
export function erasureText(result: ErasureResult, heading?: string): string {
  if (!result.found) {
    return [
      `Nothing found for this ${result.subjectKind === "email" ? "e-mail address" : "name"}: nothing ${result.dryRun ? "would change" : "changed"}.`,
      ...(result.audit ? [`Recorded as erasure request ${result.requestId}.`] : []),
    ].join("\n");
  }
  const lines = [heading ?? (result.dryRun ? "Dry run: nothing changed. Would erase:" : "Erased:")];
  for (const [kind, label] of Object.entries(KIND_LABELS) as [keyof ErasureResult["counts"], string][]) {
    const n = result.counts[kind];
    if (n > 0) lines.push(`  ${label.padEnd(28)} ${n}`);
  }
  if (result.tickets.length > 0) {
    lines.push("Tickets:");
    for (const ticket of result.tickets)
      lines.push(
        `  ${ticket.id}  ${ticket.scope === "item" ? "made from their feedback: title and description replaced" : "quoted them: quote redacted"}`,
      );
  }
  for (const note of result.notSearched) lines.push(`Not searched: ${note}`);
  if (result.audit)
    lines.push(`Recorded as erasure request ${result.requestId} by ${result.audit.actor} (no personal data kept).`);
  return lines.join("\n");
}

/** The confirmation question: the dry run's counts. */
export function confirmErasureText(preview: ErasureResult): string {
  return erasureText(preview, "This erases, for good (no undo):");
}

/** `privacy history`: one line per recorded erasure. */
export function erasureHistoryText(history: ErasureHistory): string {
  if (history.length === 0) return "No erasure recorded.";
  return table(
    ["erased at", "request", "by", "kind", "changed"],
    history.map((r) => [r.erasedAt, r.requestId, r.actor, r.subjectKind, counts(r.counts)]),
    [24, 36, 30, 5, 120],
  );
}
