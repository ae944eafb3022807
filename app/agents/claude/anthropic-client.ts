import Anthropic from "@anthropic-ai/sdk";
import type { Message, MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages/messages";
import {
  type BatchModelClient,
  type BatchOutcome,
  type BatchRequest,
  type BatchStatus,
  ModelCallError,
  type ModelClient,
  type ModelRequest,
  type ModelResponse,
  type ModelUsage,
  ZERO_USAGE,
} from "./model-port.js";
import { parseRetryAfter } from "./retry.js";

/**
 * The ModelClient over @anthropic-ai/sdk: Messages API with structured outputs (output_config.format
 * json_schema), the system prompt marked for caching only when asked, and the SDK's own
 * retries off (retries are the crew's: at most 3 attempts per call, honouring retry-after). `fetch` is
 * injectable, so tests answer with canned API responses and never reach the network.
 */
export interface AnthropicClientOptions {
  readonly apiKey: string;
  readonly baseURL?: string;
  readonly fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Default per-request timeout (ms); a request's own `timeoutMs` wins. */
  readonly timeoutMs?: number;
}

export class AnthropicModelClient implements ModelClient, BatchModelClient {
  readonly sdk: Anthropic;

  constructor(options: AnthropicClientOptions) {
    this.sdk = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseURL ?? "https://api.anthropic.com",
      fetch: options.fetch,
      maxRetries: 0,
      timeout: options.timeoutMs ?? 60_000,
    });
  }

  async complete(request: ModelRequest): Promise<ModelResponse> {
    let message: Message;
    try {
      message = await this.sdk.messages.create(toParams(request), {
        signal: request.signal,
        ...(request.timeoutMs ? { timeout: request.timeoutMs } : {}),
      });
    } catch (error) {
      throw translateError(error);
    }
    return interpretMessage(message);
  }

  async submitBatch(requests: readonly BatchRequest[]): Promise<string> {
    try {
      const batch = await this.sdk.messages.batches.create({
        requests: requests.map((r) => ({ custom_id: r.customId, params: toParams(r.request) })),
      });
      return batch.id;
    } catch (error) {
      throw translateError(error);
    }
  }

  async batchStatus(batchId: string): Promise<BatchStatus> {
    try {
      const batch = await this.sdk.messages.batches.retrieve(batchId);
      const c = batch.request_counts;
      return {
        ended: batch.processing_status === "ended",
        counts: {
          processing: c.processing,
          succeeded: c.succeeded,
          errored: c.errored,
          canceled: c.canceled,
          expired: c.expired,
        },
      };
    } catch (error) {
      throw translateError(error);
    }
  }

  async *batchResults(batchId: string): AsyncIterable<BatchOutcome> {
    let decoder: AsyncIterable<{ custom_id: string; result: { type: string; message?: Message; error?: unknown } }>;
    try {
      decoder = await this.sdk.messages.batches.results(batchId);
    } catch (error) {
      throw translateError(error);
    }
    for await (const line of decoder) {
      const customId = line.custom_id;
      if (line.result.type === "succeeded" && line.result.message) {
        try {
          yield { customId, ok: true, response: interpretMessage(line.result.message) };
        } catch (error) {
          yield { customId, ok: false, error: error instanceof ModelCallError ? error : translateError(error) };
        }
      } else {
        const kind = line.result.type === "errored" ? "server" : "timeout";
        yield {
          customId,
          ok: false,
          error: new ModelCallError(
            kind,
            `batch request ${line.result.type}: ${JSON.stringify(line.result.error ?? {}).slice(0, 200)}`,
          ),
        };
      }
    }
  }
}

export function toParams(request: ModelRequest): MessageCreateParamsNonStreaming {
  return {
    model: request.model,
    max_tokens: request.maxTokens,
    system: [
      {
        type: "text",
        text: request.system,
        ...(request.cachePrefix ? { cache_control: { type: "ephemeral" as const } } : {}),
      },
    ],
    messages: [{ role: "user", content: request.user }],
    output_config: { format: { type: "json_schema", schema: request.outputSchema } },
  };
}

export function usageOf(message: Pick<Message, "usage">): ModelUsage {
  const u = message.usage;
  if (!u) return ZERO_USAGE;
  return {
    inputTokens: u.input_tokens ?? 0,
    outputTokens: u.output_tokens ?? 0,
    cacheReadTokens: u.cache_read_input_tokens ?? 0,
    cacheWriteTokens: u.cache_creation_input_tokens ?? 0,
  };
}

/** The JSON answer of a message, or the reason it has none (refusal, truncation, not JSON). */
export function interpretMessage(message: Message): ModelResponse {
  const usage = usageOf(message);
  const stopReason = message.stop_reason ?? null;
  if (stopReason === "refusal")
    throw new ModelCallError("refusal", "the model declined to answer (stop_reason refusal)", { usage });
  if (stopReason === "max_tokens" || stopReason === "model_context_window_exceeded") {
    throw new ModelCallError("truncated", `the answer was cut off (stop_reason ${stopReason})`, { usage });
  }
  const blocks = Array.isArray(message.content) ? message.content : [];
  const tool = blocks.find((b) => b.type === "tool_use") as { input?: unknown } | undefined;
  if (tool && tool.input !== undefined) return { json: tool.input, usage, stopReason };
  const text = blocks
    .filter((b): b is Extract<typeof b, { type: "text" }> => b.type === "text")
    .map((b) => b.text)
    .join("")
    .trim();
  if (!text) throw new ModelCallError("malformed", "the answer has no text", { usage });
  try {
    return { json: JSON.parse(stripFence(text)), usage, stopReason };
  } catch (error) {
    throw new ModelCallError("malformed", `the answer is not valid JSON: ${(error as Error).message}`.slice(0, 200), {
      usage,
      cause: error,
    });
  }
}

function stripFence(text: string): string {
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(text);
  return fenced ? fenced[1]! : text;
}

/** SDK and network errors as ModelCallError (status, retry-after and whether a retry can help). */
export function translateError(error: unknown): ModelCallError {
  if (error instanceof ModelCallError) return error;
  if (error instanceof Anthropic.APIUserAbortError)
    return new ModelCallError("aborted", "request aborted", { cause: error });
  if (error instanceof Anthropic.APIConnectionTimeoutError)
    return new ModelCallError("timeout", "request timed out", { cause: error });
  if (error instanceof Anthropic.APIConnectionError)
    return new ModelCallError("connection", error.message, { cause: error });
  if (error instanceof Anthropic.APIError) {
    const status = error.status ?? 0;
    const headers = error.headers as Headers | undefined;
    const retryAfterMs = parseRetryAfter(headers);
    const message = (error.apiMessage ?? error.message).slice(0, 200);
    const shouldRetry = headers?.get("x-should-retry");
    const base = { status, cause: error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    if (status === 429) return new ModelCallError("rate_limited", message, base);
    if (status === 529) return new ModelCallError("overloaded", message, base);
    if (shouldRetry === "false") return new ModelCallError("client", message, base);
    if (status >= 500 || status === 408 || status === 409 || shouldRetry === "true") {
      return new ModelCallError(status === 408 ? "timeout" : "server", message, base);
    }
    return new ModelCallError("client", message, base);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelCallError("connection", message, { cause: error });
}
