import { asModelCallError, ModelCallError } from "./model-port.js";

/**
 * Retry policy of model calls: at most `maxAttempts` (3) attempts per call; exponential backoff with full
 * jitter between attempts (base 500 ms, cap 20 s); a server's retry-after wins when it is longer (capped at
 * `maxRetryAfterMs`); each attempt has its own timeout. Non-retryable failures (bad request, auth) stop at once.
 */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A retry-after longer than this is capped to it (a worker should not sleep for minutes). */
  readonly maxRetryAfterMs: number;
  readonly timeoutMs: number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
}

export const MAX_ATTEMPTS = 3;

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: MAX_ATTEMPTS,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
  timeoutMs: 60_000,
  sleep,
  random: Math.random,
};

/** Delay before attempt `attempt + 1` after attempt `attempt` (1-based) failed with `error`. */
export function backoffDelayMs(attempt: number, error: ModelCallError, policy: RetryPolicy): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(exponential * (0.5 + policy.random() / 2));
  const serverSays = error.retryAfterMs === undefined ? 0 : Math.min(error.retryAfterMs, policy.maxRetryAfterMs);
  return Math.max(jittered, serverSays);
}

/** `retry-after-ms` (Anthropic), else `retry-after` in seconds or as an HTTP date. */
export function parseRetryAfter(
  headers: { get(name: string): string | null } | undefined,
  now = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const raw = headers.get("retry-after");
  if (!raw) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Runs `fn` with an abort signal that fires after `timeoutMs`; a timeout becomes ModelCallError("timeout"). */
export async function withTimeout<T>(
  timeoutMs: number,
  outer: AbortSignal | undefined,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new ModelCallError("timeout", `model call timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const onOuterAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onOuterAbort, { once: true });
  try {
    return await new Promise<T>((resolve, reject) => {
      controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
      fn(controller.signal).then(resolve, reject);
    });
  } catch (error) {
    if (timedOut) throw new ModelCallError("timeout", `model call timed out after ${timeoutMs} ms`, { cause: error });
    if (outer?.aborted) throw new ModelCallError("aborted", "model call aborted", { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuterAbort);
  }
}

export interface AttemptRecord {
  readonly attempt: number;
  readonly error: ModelCallError | null;
  readonly delayMs: number;
}

/**
 * Calls `attemptFn(attempt, signal)` until it returns `{ done: true }`, a non-retryable error is thrown, or
 * `maxAttempts` attempts were made. An attempt may also return `{ done: false }` (e.g. part of the answer
 * was unusable): the next attempt follows after a short backoff. Returns the attempts made; the caller
 * decides what the last state means.
 */
export async function runAttempts(
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  attemptFn: (attempt: number, signal: AbortSignal) => Promise<{ done: boolean }>,
): Promise<AttemptRecord[]> {
  const records: AttemptRecord[] = [];
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    let error: ModelCallError | null = null;
    try {
      const { done } = await withTimeout(policy.timeoutMs, signal, (s) => attemptFn(attempt, s));
      if (done) {
        records.push({ attempt, error: null, delayMs: 0 });
        return records;
      }
      error = new ModelCallError("malformed", "part of the answer was missing or invalid");
    } catch (thrown) {
      error = asModelCallError(thrown);
    }
    const last = attempt === policy.maxAttempts || !error.retryable;
    const delayMs = last ? 0 : backoffDelayMs(attempt, error, policy);
    records.push({ attempt, error, delayMs });
    if (last) return records;
    await policy.sleep(delayMs, signal);
  }
  return records;
}
