import type { BatchOutcome } from "../../app/worker/pipeline.js";
import type { WorkerTotals } from "../../app/worker/run-worker.js";
import type { StopSignal } from "../signals.js";
import { formatCount } from "./format.js";

/** Items are what became tickets or were found to be duplicates; a failed attempt is retried (then the DLQ). */
function itemsText(created: number, duplicates: number, failed: number): string {
  const attempts = failed > 0 ? `; ${formatCount(failed)} attempt(s) failed (retried, then the DLQ)` : "";
  return `${formatCount(created + duplicates)} item(s): ${formatCount(created)} tickets created, ${formatCount(duplicates)} duplicates${attempts}`;
}

/** The worker's closing line: items, not receives (a redelivered message is received twice). */
export function workerDoneText(totals: WorkerTotals, stopped: { stoppedBy: StopSignal; left: number } | null): string {
  const items = itemsText(totals.created, totals.duplicates, totals.failed);
  if (!stopped) return `Processed ${items}.`;
  const finish = stopped.left ? " (run 'feedback-cli worker' to finish it)" : "";
  return `Stopped (${stopped.stoppedBy}) after ${items}; ${formatCount(stopped.left)} left in the queue${finish}.`;
}

/** Progress lines while the worker runs: the first batch at once, then at most one line per `everyMs`. */
export class WorkerProgress {
  private created = 0;
  private duplicates = 0;
  private failed = 0;
  private readonly started: number;
  private lastLine = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly print: (line: string) => void,
    private readonly now: () => number = Date.now,
    private readonly everyMs = 5_000,
  ) {
    this.started = now();
  }

  batch(outcome: Pick<BatchOutcome, "created" | "duplicates" | "failed">): void {
    this.created += outcome.created;
    this.duplicates += outcome.duplicates;
    this.failed += outcome.failed.length;
    const now = this.now();
    if (now - this.lastLine < this.everyMs) return;
    this.lastLine = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds >= 1 ? ` · ${formatCount(Math.round((this.created + this.duplicates) / seconds))}/s` : "";
    const clock = new Date(now).toISOString().slice(11, 19);
    this.print(`${clock} processed ${itemsText(this.created, this.duplicates, this.failed)}${rate}`);
  }
}
