/**
 * The small port between the Claude crew and a language model: one structured-output completion.
 * `AnthropicModelClient` implements it over @anthropic-ai/sdk; tests implement it (or inject `fetch`
 * into the Anthropic client) so that no test reaches the network.
 */

export interface ModelRequest {
  readonly model: string;
  readonly system: string;
  readonly user: string;
  readonly maxTokens: number;
  /** JSON schema of the answer (structured outputs); the answer is still validated with zod by the caller. */
  readonly outputSchema: Record<string, unknown>;
  /** Mark the fixed prefix (system prompt) with cache_control; only worth it above the model's minimum. */
  readonly cachePrefix: boolean;
  readonly signal?: AbortSignal;
  /** Per-attempt timeout (ms), enforced by the client where it can and by the caller in any case. */
  readonly timeoutMs?: number;
}

export interface ModelUsage {
  /** Uncached input tokens. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
}

export interface ModelResponse {
  /** The parsed JSON answer (not yet validated). */
  readonly json: unknown;
  readonly usage: ModelUsage;
  readonly stopReason?: string | null;
}

export interface ModelClient {
  complete(request: ModelRequest): Promise<ModelResponse>;
}

export const ZERO_USAGE: ModelUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

export function addUsage(a: ModelUsage, b: ModelUsage): ModelUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  };
}

/**
 * Why a model call failed. Retryable: rate_limited (429), overloaded (529), server (5xx), timeout,
 * connection, malformed (not JSON / not the schema), refusal, truncated (max_tokens). Not retryable:
 * client (400/401/403/404/413...), aborted.
 */
export type ModelFailureKind =
  | "rate_limited"
  | "overloaded"
  | "server"
  | "timeout"
  | "connection"
  | "malformed"
  | "refusal"
  | "truncated"
  | "client"
  | "aborted";

const RETRYABLE: ReadonlySet<ModelFailureKind> = new Set([
  "rate_limited",
  "overloaded",
  "server",
  "timeout",
  "connection",
  "malformed",
  "refusal",
  "truncated",
]);

export class ModelCallError extends Error {
  readonly kind: ModelFailureKind;
  readonly status: number | undefined;
  /** From `retry-after-ms` / `retry-after` when the server sent one. */
  readonly retryAfterMs: number | undefined;
  /** Tokens the failed call still consumed (e.g. a malformed or refused answer is billed). */
  readonly usage: ModelUsage;

  constructor(
    kind: ModelFailureKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; usage?: ModelUsage; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "ModelCallError";
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.usage = options.usage ?? ZERO_USAGE;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** Any thrown value as a ModelCallError (unknown errors count as connection failures, which are retried). */
export function asModelCallError(error: unknown): ModelCallError {
  if (error instanceof ModelCallError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === "AbortError")
    return new ModelCallError("timeout", message, { cause: error });
  return new ModelCallError("connection", message, { cause: error });
}

/** One request of a Message Batch, matched to its result by `customId`. */
export interface BatchRequest {
  readonly customId: string;
  readonly request: ModelRequest;
}

export type BatchOutcome =
  | { readonly customId: string; readonly ok: true; readonly response: ModelResponse }
  | { readonly customId: string; readonly ok: false; readonly error: ModelCallError };

export interface BatchStatus {
  readonly ended: boolean;
  readonly counts: { processing: number; succeeded: number; errored: number; canceled: number; expired: number };
}

/** Message Batches (half price, results within 24 hours): for bulk backfills, not the live pipeline. */
export interface BatchModelClient {
  submitBatch(requests: readonly BatchRequest[]): Promise<string>;
  batchStatus(batchId: string): Promise<BatchStatus>;
  batchResults(batchId: string): AsyncIterable<BatchOutcome>;
}
