import type { z } from "zod";
import { AccessDeniedError, BackendError, FeedbackTriageError, ThrottlingError } from "../errors.js";

export interface StoreHttpOptions {
  fetch?: typeof fetch;
  /** Retries of a 429 or 5xx before giving up (default 3). */
  maxRetries?: number;
  /** The longest wait a Retry-After may ask for before the pull gives up instead (default 60 s). */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** How long one request may take before it counts as a network failure (default 30 s). */
  timeoutMs?: number;
}

export interface StoreRequest {
  /** Names the store in messages, e.g. "App Store Connect". */
  store: string;
  url: string;
  init?: RequestInit;
  /** What the user should fix when the store refuses the credentials. */
  accessHint: string;
  /** The statuses that mean refused credentials (default 401 and 403; an OAuth token endpoint also says 400). */
  deniedStatuses?: readonly number[];
}

const DEFAULT_RETRIES = 3;
const DEFAULT_MAX_WAIT_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One JSON request to a store's API, its body checked with `schema`: a 429 (or 5xx) is retried after the
 * Retry-After the store asked for (else 1 s, 2 s, 4 s), a bounded number of times; 401/403 is an
 * AccessDeniedError the user can fix; anything else unexpected is a BackendError.
 */
export async function storeJson<T>(request: StoreRequest, schema: z.ZodType<T>, options: StoreHttpOptions = {}) {
  const retries = options.maxRetries ?? DEFAULT_RETRIES;
  for (let attempt = 0; ; attempt += 1) {
    const response = await send(request, options.fetch ?? fetch, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    if (response.ok) return parseBody(request, response, schema);
    const body = await response.text().catch(() => "");
    if ((request.deniedStatuses ?? [401, 403]).includes(response.status)) {
      throw new AccessDeniedError(`${request.store} refused the credentials (HTTP ${response.status})`, {
        hint: request.accessHint,
        cause: new Error(body.slice(0, 500)),
      });
    }
    if (response.status !== 429 && response.status < 500) {
      throw new BackendError(`${request.store} answered HTTP ${response.status}: ${body.slice(0, 300)}`);
    }
    const waitMs = retryAfterMs(response.headers.get("retry-after")) ?? 1000 * 2 ** attempt;
    if (attempt >= retries || waitMs > (options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS)) {
      throw new ThrottlingError(`${request.store} is still busy (HTTP ${response.status}) after ${attempt + 1} tries`, {
        hint: "Pull again later: the pull resumes from the page it stopped at.",
        retryAfterMs: waitMs,
      });
    }
    await (options.sleep ?? sleepFor)(waitMs);
  }
}

async function send(request: StoreRequest, fetcher: typeof fetch, timeoutMs: number): Promise<Response> {
  try {
    // A store that stops answering fails the pull (which resumes from its cursor) instead of hanging it.
    return await fetcher(request.url, { ...request.init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if (error instanceof FeedbackTriageError) throw error;
    throw new BackendError(`${request.store} could not be reached at ${new URL(request.url).origin}`, {
      cause: error,
      hint: "Check the network (or the source's base URL) and pull again.",
    });
  }
}

async function parseBody<T>(request: StoreRequest, response: Response, schema: z.ZodType<T>): Promise<T> {
  const json = await response.json().catch((error: unknown) => {
    throw new BackendError(`${request.store} answered with something other than JSON`, { cause: error });
  });
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BackendError(
      `${request.store} answered in an unexpected shape (${issue?.path.join(".") || "body"}: ${issue?.message})`,
    );
  }
  return parsed.data;
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110), in milliseconds; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
