import type { PullSummaryJson } from "../../app/pulls/pull-summary.js";
import type { SourceTest, SourceView } from "../../app/pulls/source-views.js";
import { table } from "./format.js";

/** `pull`: one line per source, then what to do about the ones that failed. */
export function pullText(summary: PullSummaryJson): string {
  const rows = summary.sources.map((s) => [
    s.source,
    String(s.enqueued),
    String(s.revised),
    String(s.unchanged),
    String(s.rejected),
    s.error ? "failed" : s.complete ? "up to date" : "more to pull",
  ]);
  const lines = [table(["source", "new", "revised", "unchanged", "rejected", "state"], rows)];
  for (const s of summary.sources) {
    if (s.error) lines.push(`${s.source}: ${s.error.message}${s.error.hint ? `\n  ${s.error.hint}` : ""}`);
  }
  if (summary.totals.enqueued > 0) lines.push(`${summary.totals.enqueued} new review(s) queued for the worker.`);
  return lines.join("\n");
}

export function sourcesText(sources: readonly SourceView[]): string {
  if (sources.length === 0) return "No store sources. Add one with 'feedback-cli sources add <name> --store ...'.";
  return table(
    ["name", "store", "app", "credentials", "last pull", "result"],
    sources.map((s) => [s.name, s.store, s.app, s.credentials, s.lastPull?.at ?? "never", lastPullResult(s)]),
  );
}

function lastPullResult(source: SourceView): string {
  const last = source.lastPull;
  if (!last) return "";
  if (last.error) return `failed: ${last.error}`;
  return `${last.enqueued} new, ${last.revised} revised${source.resuming ? ", more to pull" : ""}`;
}

export function sourceAddedText(source: SourceView): string {
  return `Saved source ${source.name} (${source.store}, app ${source.app}, key from ${source.credentials}). Check it with 'feedback-cli sources test ${source.name}'.`;
}

export function sourceTestText(test: SourceTest): string {
  if (test.ok) return `${test.name}: OK, the newest page lists ${test.reviews} review(s).`;
  return `${test.name}: ${test.error!.message}${test.error!.hint ? `\n  ${test.error!.hint}` : ""}`;
}
