import { describe, expect, it } from "vitest";
import { WorkerProgress, workerDoneText } from "../../../cli/presenters/worker-presenter.js";

const totals = { received: 1_210, created: 1_198, duplicates: 2, failed: 10, lateWrites: 0, batches: 12 };
const batch = (created: number, failed = 0) => ({ created, duplicates: 0, failed: Array(failed).fill({}) });

describe("worker output", () => {
  it("counts items, not receives, when done", () => {
    expect(workerDoneText(totals, null)).toBe(
      "Processed 1,200 item(s): 1,198 tickets created, 2 duplicates; 10 attempt(s) failed (retried, then the DLQ).",
    );
  });

  it("says what is left and how to finish it when stopped", () => {
    expect(workerDoneText({ ...totals, failed: 0 }, { stoppedBy: "SIGTERM", left: 800 })).toBe(
      "Stopped (SIGTERM) after 1,200 item(s): 1,198 tickets created, 2 duplicates; 800 left in the queue (run 'feedback-cli worker' to finish it).",
    );
  });

  it("prints the first batch at once, then at most one line per interval, with the rate", () => {
    const lines: string[] = [];
    let now = Date.UTC(2026, 11, 6, 12, 0, 0);
    const progress = new WorkerProgress(
      (line) => lines.push(line),
      () => now,
      5_000,
    );
    now += 2_000;
    progress.batch(batch(100));
    now += 1_000;
    progress.batch(batch(100));
    now += 5_000;
    progress.batch(batch(100, 1));
    expect(lines).toEqual([
      "12:00:02 processed 100 item(s): 100 tickets created, 0 duplicates · 50/s",
      "12:00:08 processed 300 item(s): 300 tickets created, 0 duplicates; 1 attempt(s) failed (retried, then the DLQ) · 38/s",
    ]);
  });
});
