import { setTimeout } from "node:timers/promises";
import type { LogFn } from "../../sdk/log.js";
import type { ConnectorOptions } from "../../sdk/stores/connectors.js";
import { describeError } from "../worker/describe-error.js";
import { type PullBackend, type PullSummary, pullSources } from "./pull-service.js";

/** Pages one timed pull reads of a source at most (as the scheduled Lambda); the cursor keeps the rest. */
const TIMED_MAX_PAGES = 50;

export interface PullTimerOptions {
  everyMs: number;
  connector: ConnectorOptions;
  signal: AbortSignal;
  log: LogFn;
  /** The pull itself; default every configured source through pullSources. */
  pull?: () => Promise<PullSummary>;
}

/**
 * The worker's optional pull timer (`worker --pull-every`), for teams without the AWS schedule: pulls every
 * configured store source at once and then every `everyMs`, one pull at a time. A failure is logged and left to the
 * next tick (each source's cursor resumes it); with no source configured a tick does nothing. Resolves with the
 * number of pulls once `signal` aborts, after the pull in hand.
 */
export async function runPullTimer(backend: PullBackend, options: PullTimerOptions): Promise<number> {
  const pull =
    options.pull ?? (() => pullSources(backend, { connector: options.connector, maxPages: TIMED_MAX_PAGES }));
  let pulls = 0;
  while (!options.signal.aborted) {
    try {
      if ((await backend.sources.list()).length > 0) {
        const summary = await pull();
        pulls++;
        options.log(summary.totals.failed ? "warn" : "info", "pull.done", {
          ...summary.totals,
          failedSources: summary.sources.filter((s) => s.error).map((s) => s.source),
        });
      }
    } catch (error) {
      options.log("warn", "pull.failed", { error: describeError(error) });
    }
    await setTimeout(options.everyMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
  return pulls;
}
