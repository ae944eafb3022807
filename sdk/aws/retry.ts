import { setTimeout as sleep } from "node:timers/promises";

/**
 * Backoff for the partial failures of batch APIs (PutEvents, SendMessageBatch, DeleteMessageBatch,
 * BatchWriteItem), which the SDK's own retry strategy does not see because the call itself succeeded.
 * Whole-call failures (throttling, 5xx, network) are retried by the SDK client (`maxAttempts`).
 */
export interface RetryPolicy {
  /** Attempts in all, the first included; default 5. */
  maxAttempts: number;
  /** First delay; doubled per attempt with full jitter; default 100 ms. */
  baseDelayMs: number;
  /** Ceiling of one delay; default 5,000 ms. */
  maxDelayMs: number;
  /** Injectable for tests. */
  sleep: (ms: number) => Promise<unknown>;
  /** Injectable for tests; default Math.random. */
  random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  sleep: (ms) => sleep(ms),
  random: Math.random,
};

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY, ...overrides };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a positive integer, got ${policy.maxAttempts}`);
  }
  return policy;
}

/** Full-jitter exponential backoff before attempt `attempt` (2, 3, ...). */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 2));
  return Math.floor(policy.random() * ceiling);
}

/**
 * Sends `pending` and then only what failed retryably, until nothing is left or attempts run out.
 * `attempt` returns the entries to retry (a subset of what it was given); what it does with the
 * others (success, permanent failure) is its own business. Returns the entries still failing.
 */
export async function retryFailedEntries<T>(
  policy: RetryPolicy,
  pending: readonly T[],
  attempt: (entries: readonly T[], attemptNumber: number) => Promise<readonly T[]>,
): Promise<readonly T[]> {
  let left = pending;
  for (let n = 1; left.length > 0; n++) {
    if (n > 1) await policy.sleep(backoffDelay(policy, n));
    left = await attempt(left, n);
    if (n >= policy.maxAttempts) break;
  }
  return left;
}
