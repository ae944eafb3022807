import { describe, expect, it } from "vitest";
import type { PullBackend, PullSummary } from "../../../app/pulls/pull-service.js";
import { runPullTimer } from "../../../app/pulls/pull-timer.js";
import { memoryLog } from "../../../sdk/log.js";
import type { StoreSourceState } from "../../../sdk/schemas/store-source.js";

const summary = (failed = 0): PullSummary => ({
  sources: [],
  totals: { enqueued: 2, revised: 0, unchanged: 1, rejected: 0, failed },
});

/** A backend whose only use here is listing the configured sources. */
const withSources = (n: number) =>
  ({ sources: { list: async () => Array.from({ length: n }, () => ({}) as StoreSourceState) } }) as PullBackend;

describe("the worker's pull timer", () => {
  it("pulls at once and again every interval until stopped, one pull at a time", async () => {
    const stop = new AbortController();
    let running = 0;
    let overlapped = false;
    let pulls = 0;
    const pull = async () => {
      overlapped ||= running > 0;
      running++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (++pulls === 3) stop.abort();
      return summary();
    };
    const log = memoryLog();
    expect(
      await runPullTimer(withSources(1), { everyMs: 1, connector: { env: {} }, signal: stop.signal, log, pull }),
    ).toBe(3);
    expect(overlapped).toBe(false);
    expect(log.entries.filter((e) => e.event === "pull.done")).toHaveLength(3);
  });

  it("logs a failed pull and pulls again at the next tick", async () => {
    const stop = new AbortController();
    let calls = 0;
    const pull = async () => {
      if (++calls === 1) throw new Error("database went away");
      stop.abort();
      return summary(1);
    };
    const log = memoryLog();
    await runPullTimer(withSources(1), { everyMs: 1, connector: { env: {} }, signal: stop.signal, log, pull });
    expect(calls).toBe(2);
    expect(log.entries.map((e) => [e.level, e.event])).toEqual([
      ["warn", "pull.failed"],
      ["warn", "pull.done"],
    ]);
  });

  it("does nothing while no store source is configured", async () => {
    const stop = new AbortController();
    let pulls = 0;
    const ticking = runPullTimer(withSources(0), {
      everyMs: 1,
      connector: { env: {} },
      signal: stop.signal,
      log: memoryLog(),
      pull: async () => {
        pulls++;
        return summary();
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    stop.abort();
    expect(await ticking).toBe(0);
    expect(pulls).toBe(0);
  });
});
