import type { SignatureV4 } from "@smithy/signature-v4";
import {
  AccessDeniedError,
  BackendError,
  ConfigurationError,
  ConflictError,
  type FeedbackTriageError,
  NotFoundError,
  ThrottlingError,
  ValidationError,
} from "../errors.js";
import type {
  CommitResult,
  ImportedTicket,
  TicketCounts,
  TicketPage,
  TicketRepository,
  TriagedTicket,
  UpdateMeta,
} from "../ports/tickets.js";
import type { Ticket, TicketDetail, TicketPatch, TicketQueryInput, TriageRewrite } from "../schemas/ticket.js";
import {
  OPERATOR_API,
  OperatorError,
  type OperatorOperation,
  type OperatorRequest,
  type OperatorResponse,
  operationPath,
} from "./operator-api.js";
import { signRequest } from "./sigv4.js";

export interface RemoteTicketsOptions {
  /** The operator API's base URL (stack output `operatorApiUrl`). */
  url: string;
  signer: SignatureV4;
  /** Default the global fetch. */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const ONLY_ON_THE_STACK =
  "Only the deployed worker and migration tasks write tickets; the operator API reads and changes them.";

/**
 * The tickets of a deployed stack reached from a laptop: each call is a SigV4-signed request to the operator API
 * (API Gateway with IAM authorization -> the tickets Lambda in the VPC -> RDS), with the credentials of the CLI's AWS
 * profile. Reads and manual changes only; a change is recorded as made by the signed caller's IAM identity.
 */
export class RemoteTicketRepository implements TicketRepository {
  constructor(private readonly api: OperatorApiClient) {}

  get description(): string {
    return this.api.description;
  }

  private call<O extends OperatorOperation>(operation: O, request: OperatorRequest<O>): Promise<OperatorResponse<O>> {
    return this.api.call(operation, request);
  }

  list(query: TicketQueryInput = {}): Promise<TicketPage> {
    return this.call("list", { query });
  }

  async *stream(query: TicketQueryInput = {}, pageSize = 500): AsyncIterable<Ticket[]> {
    // Offset pages over the API (the store's keyset paging stays behind it); tickets created meanwhile can shift a page.
    for (let offset = 0; ; offset += pageSize) {
      const page = await this.list({ ...query, limit: pageSize, offset });
      if (page.items.length > 0) yield page.items;
      if (page.items.length < pageSize) return;
    }
  }

  matchingIds(query: TicketQueryInput, limit: number): Promise<{ ids: string[]; more: boolean }> {
    return this.call("matchingIds", { query, limit });
  }

  async get(id: string): Promise<TicketDetail | null> {
    return (await this.call("get", { id })).ticket;
  }

  async resolveId(given: string): Promise<string[]> {
    return (await this.call("resolveId", { given })).ids;
  }

  async update(id: string, patch: TicketPatch | TriageRewrite, meta: UpdateMeta): Promise<Ticket> {
    if (meta.logs) throw new ConfigurationError("A re-triage runs on the stack, not through the operator API.");
    const request: OperatorRequest<"update"> = { id, patch: patch as TicketPatch, reason: meta.reason };
    if (meta.expectedVersion !== undefined) request.expectedVersion = meta.expectedVersion;
    return (await this.call("update", request)).ticket;
  }

  counts(): Promise<TicketCounts> {
    return this.call("counts", {});
  }

  existingKeys(_keys: readonly string[]): Promise<Set<string>> {
    return Promise.reject(this.writeOnly("ingest"));
  }

  commitTriaged(_entries: readonly TriagedTicket[]): Promise<CommitResult> {
    return Promise.reject(this.writeOnly("the worker"));
  }

  importTickets(
    _entries: readonly ImportedTicket[],
    _meta: { actor: string; reason: string },
  ): Promise<{ created: string[]; duplicates: string[] }> {
    return Promise.reject(this.writeOnly("import"));
  }

  recordFailure(): Promise<void> {
    return Promise.reject(this.writeOnly("the worker"));
  }

  private writeOnly(what: string): ConfigurationError {
    return new ConfigurationError(`${what} cannot run through the operator API.`, { hint: ONLY_ON_THE_STACK });
  }
}

/** Signed calls to the operator API: each a SigV4-signed POST answered with JSON, both ends checked by zod. */
export class OperatorApiClient {
  private readonly base: URL;

  constructor(private readonly options: RemoteTicketsOptions) {
    this.base = new URL(options.url.endsWith("/") ? options.url : `${options.url}/`);
  }

  get description(): string {
    return `operator API ${this.base.origin}${this.base.pathname.replace(/\/$/, "")}`;
  }

  async call<O extends OperatorOperation>(operation: O, request: OperatorRequest<O>): Promise<OperatorResponse<O>> {
    const url = new URL(operationPath(operation).slice(1), this.base);
    const signed = await signRequest(this.options.signer, {
      url,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    }).catch((cause: unknown) => {
      throw new ConfigurationError(`No AWS credentials to sign the operator API request: ${describe(cause)}`, {
        cause,
        hint: "Sign in with the profile's AWS profile (aws sso login --profile ...), or set AWS_PROFILE.",
      });
    });
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(url, {
        method: "POST",
        headers: signed.headers,
        body: signed.body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (cause) {
      throw new BackendError(`The operator API at ${url.origin} did not answer: ${describe(cause)}`, { cause });
    }
    const text = await response.text();
    if (!response.ok) throw errorOf(response.status, text, url);
    const parsed = OPERATOR_API[operation].response.safeParse(safeJson(text));
    if (!parsed.success)
      throw new BackendError(`The operator API answered ${operation} with an unexpected body`, { cause: parsed.error });
    return parsed.data as OperatorResponse<O>;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The SDK error for an answer: the API's own error body, or API Gateway's (403 unsigned/denied, 429 throttled). */
function errorOf(status: number, text: string, url: URL): FeedbackTriageError {
  const body = OperatorError.safeParse(safeJson(text));
  const gatewayMessage = (safeJson(text) as { message?: unknown } | undefined)?.message;
  const message = body.success
    ? body.data.message
    : typeof gatewayMessage === "string"
      ? gatewayMessage
      : text.slice(0, 300);
  const options = {
    cause: new Error(`HTTP ${status}: ${text.slice(0, 500)}`),
    hint: body.success ? body.data.hint : undefined,
  };
  if (status === 403 || status === 401)
    return new AccessDeniedError(`The operator API refused the request: ${message}`, {
      ...options,
      hint:
        options.hint ??
        `Your AWS identity needs execute-api:Invoke on ${url.origin} (the stack's operator policy, docs/operator-access.md).`,
    });
  if (status === 429) return new ThrottlingError(`The operator API is throttling: ${message}`, options);
  if (body.success && body.data.error === "validation") return new ValidationError(message, options);
  if (body.success && body.data.error === "not_found") return new NotFoundError(message, options);
  if (body.success && body.data.error === "conflict") return new ConflictError(message, options);
  return new BackendError(`The operator API failed (HTTP ${status}): ${message}`, options);
}
