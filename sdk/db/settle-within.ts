import { setTimeout as delay } from "node:timers/promises";

/**
 * Waits for `promise` at most `ms`, its failure ignored. The timer is ref'd, so the process stays alive while it
 * waits (an await that nothing keeps alive ends the process with exit 13), and cancelled once the promise settles.
 */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  const timer = new AbortController();
  await Promise.race([
    promise.catch(() => undefined),
    delay(ms, undefined, { signal: timer.signal }).catch(() => undefined),
  ]);
  timer.abort();
}
