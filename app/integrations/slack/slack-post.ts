import type { PostResult } from "../deliver.js";
import type { SlackMessage } from "./slack-messages.js";

export interface SlackPostOptions {
  fetch: typeof fetch;
  timeoutMs: number;
}

/** POSTs a message to a Slack incoming webhook. The URL is the credential: errors never include it. */
export async function postSlack(
  webhookUrl: string,
  message: SlackMessage,
  options: SlackPostOptions,
): Promise<PostResult> {
  if (!URL.canParse(webhookUrl)) {
    return { error: "the secret is not an incoming-webhook URL (https://hooks.slack.com/services/…)", permanent: true };
  }
  try {
    const response = await options.fetch(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await response.body?.cancel();
    return { status: response.status, retryAfter: response.headers.get("retry-after") };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    return { error: timedOut ? `timed out after ${options.timeoutMs} ms` : `could not reach Slack${causeCode(error)}` };
  }
}

export const isSuccess = (result: PostResult): boolean =>
  "status" in result && result.status >= 200 && result.status < 300;

/** The network error's code (ECONNREFUSED, ENOTFOUND…), never its message: that could quote the secret URL. */
function causeCode(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === "string" ? ` (${cause.code})` : "";
}
