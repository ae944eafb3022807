import { TrackerError } from "./tracker.js";

/** What an adapter needs to talk HTTP: the delivery context's fetch and timeout. */
export interface TrackerHttp {
  fetch: typeof fetch;
  timeoutMs: number;
}

/**
 * One JSON request to a tracker: the parsed answer of a 2xx (null when it has no body), otherwise a TrackerError
 * with the status and Retry-After, and the tracker's own message when it gives one (never the request's headers).
 */
export async function trackerRequest(
  http: TrackerHttp,
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown },
): Promise<unknown> {
  let response: Response;
  try {
    response = await http.fetch(request.url, {
      method: request.method,
      headers: { accept: "application/json", "content-type": "application/json", ...request.headers },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(http.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    throw new TrackerError(timedOut ? `timed out after ${http.timeoutMs} ms` : networkMessage(error));
  }
  const text = await response.text();
  if (!response.ok) {
    throw new TrackerError(
      `${request.method} ${new URL(request.url).pathname}: HTTP ${response.status}${reason(text)}`,
      {
        status: response.status,
        retryAfter: response.headers.get("retry-after"),
        body: parsed(text),
      },
    );
  }
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new TrackerError(`${request.method} ${new URL(request.url).pathname}: the answer is not JSON`);
  }
}

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/** The tracker's own words on a refusal, briefly (GitHub says `message`, Jira `errorMessages`, Linear `errors`). */
function reason(text: string): string {
  const body = parsed(text) as { message?: unknown; errorMessages?: unknown; errors?: { message?: unknown }[] } | null;
  const said =
    body?.message ??
    (Array.isArray(body?.errorMessages) ? body.errorMessages.join("; ") : undefined) ??
    (Array.isArray(body?.errors) ? body.errors.map((e) => e?.message).join("; ") : undefined);
  return typeof said === "string" && said ? ` (${said.slice(0, 200)})` : "";
}

function networkMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
