import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { BackendError, ConflictError, ValidationError } from "../errors.js";
import type {
  BatchResult,
  MessageQueue,
  QueueDepth,
  ReceivedMessage,
  ReceiveOptions,
  SendEntry,
} from "../ports/queue.js";
import { awsErrorCode, callAws, translateAwsError } from "./errors.js";
import type { FailureLog } from "./failure-log.js";
import { type RetryPolicy, retryFailedEntries, retryPolicy } from "./retry.js";
import {
  type EncodedEntry,
  encodeSendEntry,
  queueNameFromUrl,
  RECEIVE_SYSTEM_ATTRIBUTES,
  SQS_LIMITS,
  toReceivedMessage,
} from "./sqs-messages.js";

export interface SqsQueueOptions {
  queueUrl: string;
  /** Default: the last segment of the URL. */
  name?: string;
  /** Where `changeVisibility(..., lastError)` records errors for the DLQ to show. */
  failureLog?: FailureLog;
  retry?: Partial<RetryPolicy>;
}

/** Receipt handles this process was given, to know the message behind a handle when it fails. */
const TRACKED_HANDLES = 20_000;

/**
 * MessageQueue on SQS (standard queue):
 * - `send`: SendMessageBatch in chunks of 10 entries / 256 KiB; entries that fail on the service side
 *   are retried alone with backoff; sender faults, or entries still failing after the attempts, throw
 *   (the caller retries the call: delivery is at-least-once and the worker deduplicates);
 * - `receive`: long poll (WaitTimeSeconds up to 20, repeated until `waitTimeMs` passed), up to 10 per
 *   ReceiveMessage and more calls without waiting until `maxMessages` arrived or the queue ran dry,
 *   with ApproximateReceiveCount, SentTimestamp and ApproximateFirstReceiveTimestamp;
 * - `deleteBatch`: DeleteMessageBatch in chunks of 10, retrying service-side failures;
 * - `changeVisibility`: ChangeMessageVisibility (the worker's heartbeat and retry delay); a handle SQS
 *   no longer accepts is a ConflictError.
 *
 * Where it differs from the local queue (SQS's own semantics): deleting with a stale receipt handle may
 * succeed on a standard queue (SQS does not promise to reject it), so the worker never relies on that:
 * in AWS mode it acknowledges after the commit and the ticket store's unique key absorbs redelivery.
 */
export class SqsQueue implements MessageQueue {
  readonly name: string;
  readonly queueUrl: string;
  private readonly retry: RetryPolicy;
  private readonly failureLog: FailureLog | undefined;
  private readonly handles = new Map<string, { messageId: string; receiveCount: number }>();
  private readonly polls = new Set<AbortController>();
  private arn: Promise<string> | undefined;

  constructor(
    private readonly client: SQSClient,
    options: SqsQueueOptions,
  ) {
    this.queueUrl = options.queueUrl;
    this.name = options.name ?? queueNameFromUrl(options.queueUrl);
    this.retry = retryPolicy(options.retry);
    this.failureLog = options.failureLog;
  }

  async send(entries: readonly SendEntry[]): Promise<string[]> {
    return this.sendEncoded(entries.map((entry, index) => encodeSendEntry(entry, index)));
  }

  /** Sends entries already encoded (the DLQ replay uses it to keep a message's original id). */
  async sendEncoded(encoded: readonly EncodedEntry[]): Promise<string[]> {
    const ids: string[] = encoded.map(() => "");
    const failures: string[] = [];
    for (const chunk of chunkBySize(encoded.map((entry, index) => ({ entry, index })))) {
      const lastError = new Map<number, string>();
      const left = await retryFailedEntries(this.retry, chunk, async (batch) => {
        const request: SendMessageBatchRequestEntry[] = batch.map(({ entry, index }) => ({
          Id: String(index),
          MessageBody: entry.body,
          ...(entry.delaySeconds ? { DelaySeconds: entry.delaySeconds } : {}),
          ...(Object.keys(entry.attributes).length > 0 ? { MessageAttributes: entry.attributes } : {}),
        }));
        const response = await callAws(`SQS SendMessageBatch on ${this.name}`, () =>
          this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: request })),
        );
        for (const ok of response.Successful ?? []) {
          const index = Number(ok.Id);
          const originalId = encoded[index]?.attributes.FeedbackOriginalMessageId?.StringValue;
          ids[index] = originalId ?? ok.MessageId ?? "";
        }
        const retry: (typeof batch)[number][] = [];
        for (const failed of response.Failed ?? []) {
          const item = batch.find((b) => String(b.index) === failed.Id);
          if (!item) continue;
          const reason = `entry ${item.index}: ${failed.Code ?? "Error"} ${failed.Message ?? ""}`.trim();
          if (failed.SenderFault) failures.push(reason);
          else {
            lastError.set(item.index, reason);
            retry.push(item);
          }
        }
        return retry;
      });
      for (const item of left)
        failures.push(`${lastError.get(item.index)} (gave up after ${this.retry.maxAttempts} attempts)`);
    }
    if (failures.length > 0) {
      const sent = ids.filter(Boolean).length;
      throw new BackendError(
        `SQS did not accept ${failures.length} of ${encoded.length} message(s) for queue ${this.name} (${sent} sent): ${failures.slice(0, 5).join("; ")}`,
        { hint: "Retry the call: messages already sent may be delivered twice, and the worker skips duplicates." },
      );
    }
    return ids;
  }

  async receive<TBody = unknown>(options: ReceiveOptions = {}): Promise<ReceivedMessage<TBody>[]> {
    const maxMessages = options.maxMessages ?? 1;
    const waitTimeMs = options.waitTimeMs ?? 0;
    const visibility = options.visibilityTimeoutSeconds;
    if (!Number.isInteger(maxMessages) || maxMessages < 1) {
      throw new ValidationError(`maxMessages must be a positive integer, got ${maxMessages}`);
    }
    if (visibility !== undefined) assertVisibilityTimeout(visibility);
    if (!(waitTimeMs >= 0)) throw new ValidationError(`waitTimeMs must be >= 0, got ${waitTimeMs}`);

    const deadline = Date.now() + waitTimeMs;
    const received: ReceivedMessage<TBody>[] = [];
    while (received.length < maxMessages) {
      const wanted = Math.min(SQS_LIMITS.maxEntriesPerBatch, maxMessages - received.length);
      const remainingMs = deadline - Date.now();
      const waitSeconds =
        received.length === 0 ? Math.min(SQS_LIMITS.maxWaitTimeSeconds, Math.max(0, Math.ceil(remainingMs / 1000))) : 0;
      const batch = await this.receiveOnce<TBody>(wanted, waitSeconds, visibility);
      if (batch === null) break; // interrupted
      received.push(...batch);
      if (batch.length === 0) {
        if (received.length > 0 || Date.now() >= deadline) break;
        continue;
      }
      if (batch.length < wanted) break;
    }
    return received;
  }

  /** Ends the long polls in progress at once (they return what they have); for a quick shutdown. */
  interruptReceives(): void {
    for (const poll of this.polls) poll.abort();
  }

  async deleteBatch(receiptHandles: readonly string[]): Promise<BatchResult> {
    return this.batchByHandle(receiptHandles, "DeleteMessageBatch", async (entries) => {
      const response = await this.client.send(
        new DeleteMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
      );
      for (const ok of response.Successful ?? []) {
        const handle = entries.find((e) => e.Id === ok.Id)?.ReceiptHandle;
        if (handle) this.handles.delete(handle);
      }
      return response;
    });
  }

  /** ChangeMessageVisibilityBatch, e.g. to release a whole batch at once (0 = visible now). */
  async changeVisibilityBatch(receiptHandles: readonly string[], timeoutSeconds: number): Promise<BatchResult> {
    assertVisibilityTimeout(timeoutSeconds);
    return this.batchByHandle(receiptHandles, "ChangeMessageVisibilityBatch", (entries) =>
      this.client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: entries.map((e) => ({ ...e, VisibilityTimeout: timeoutSeconds })),
        }),
      ),
    );
  }

  async changeVisibility(receiptHandle: string, timeoutSeconds: number, lastError?: string): Promise<void> {
    assertVisibilityTimeout(timeoutSeconds);
    try {
      await this.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: timeoutSeconds,
        }),
      );
    } catch (error) {
      if (isStaleHandleError(error)) {
        throw new ConflictError(`Receipt handle is stale or unknown in queue "${this.name}"`, {
          cause: error,
          hint: "The message was received again by another consumer, or deleted; do not process it further.",
        });
      }
      throw translateAwsError(error, `SQS ChangeMessageVisibility on ${this.name}`);
    }
    const known = this.handles.get(receiptHandle);
    if (lastError !== undefined && known && this.failureLog) {
      await this.failureLog
        .record({
          queue: this.name,
          messageId: known.messageId,
          error: lastError,
          receiveCount: known.receiveCount,
          at: new Date(),
        })
        .catch(() => undefined);
    }
  }

  async depth(): Promise<QueueDepth> {
    const response = await callAws(`SQS GetQueueAttributes on ${this.name}`, () =>
      this.client.send(
        new GetQueueAttributesCommand({
          QueueUrl: this.queueUrl,
          AttributeNames: [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
          ],
        }),
      ),
    );
    const attributes = response.Attributes ?? {};
    return {
      visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
    };
  }

  /** The queue's ARN (GetQueueAttributes, once). */
  queueArn(): Promise<string> {
    this.arn ??= callAws(`SQS GetQueueAttributes on ${this.name}`, () =>
      this.client.send(new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ["QueueArn"] })),
    ).then((response) => {
      const arn = response.Attributes?.QueueArn;
      if (!arn) throw new BackendError(`SQS returned no QueueArn for ${this.queueUrl}`);
      return arn;
    });
    this.arn.catch(() => {
      this.arn = undefined;
    });
    return this.arn;
  }

  /** One ReceiveMessage; null when interrupted. */
  private async receiveOnce<TBody>(
    max: number,
    waitSeconds: number,
    visibility: number | undefined,
  ): Promise<ReceivedMessage<TBody>[] | null> {
    const poll = new AbortController();
    this.polls.add(poll);
    try {
      const response = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: waitSeconds,
          ...(visibility !== undefined ? { VisibilityTimeout: visibility } : {}),
          MessageSystemAttributeNames: [...RECEIVE_SYSTEM_ATTRIBUTES],
          MessageAttributeNames: ["All"],
        }),
        { abortSignal: poll.signal },
      );
      const now = new Date();
      return (response.Messages ?? []).map((message) => {
        const received = toReceivedMessage<TBody>(message, now);
        this.track(received.receiptHandle, received.messageId, received.receiveCount);
        return received;
      });
    } catch (error) {
      if (poll.signal.aborted) return null;
      throw translateAwsError(error, `SQS ReceiveMessage on ${this.name}`);
    } finally {
      this.polls.delete(poll);
    }
  }

  private track(handle: string, messageId: string, receiveCount: number): void {
    this.handles.set(handle, { messageId, receiveCount });
    if (this.handles.size > TRACKED_HANDLES) {
      const oldest = this.handles.keys().next().value;
      if (oldest !== undefined) this.handles.delete(oldest);
    }
  }

  /** Runs a batch API keyed by receipt handle in chunks of 10, retrying service-side failures. */
  private async batchByHandle(
    receiptHandles: readonly string[],
    operation: string,
    call: (entries: { Id: string; ReceiptHandle: string }[]) => Promise<{
      Successful?: { Id?: string }[];
      Failed?: { Id?: string; Code?: string; Message?: string; SenderFault?: boolean }[];
    }>,
  ): Promise<BatchResult> {
    const unique = [...new Set(receiptHandles)];
    const outcome = new Map<string, { ok: true } | { ok: false; code: string; message: string }>();
    for (let start = 0; start < unique.length; start += SQS_LIMITS.maxEntriesPerBatch) {
      const chunk = unique
        .slice(start, start + SQS_LIMITS.maxEntriesPerBatch)
        .map((handle, i) => ({ Id: String(start + i), ReceiptHandle: handle }));
      const left = await retryFailedEntries(this.retry, chunk, async (batch) => {
        const response = await callAws(`SQS ${operation} on ${this.name}`, () => call([...batch]));
        for (const ok of response.Successful ?? []) {
          const entry = batch.find((e) => e.Id === ok.Id);
          if (entry) outcome.set(entry.ReceiptHandle, { ok: true });
        }
        const retry: (typeof batch)[number][] = [];
        for (const failed of response.Failed ?? []) {
          const entry = batch.find((e) => e.Id === failed.Id);
          if (!entry) continue;
          outcome.set(entry.ReceiptHandle, { ok: false, code: failed.Code ?? "Error", message: failed.Message ?? "" });
          if (!failed.SenderFault) retry.push(entry);
        }
        return retry;
      });
      void left; // what is still failing keeps its last error in `outcome`
    }
    const result: BatchResult = { successful: [], failed: [] };
    for (const handle of receiptHandles) {
      const entry = outcome.get(handle);
      if (entry?.ok) result.successful.push(handle);
      else
        result.failed.push({
          id: handle,
          code: entry?.code ?? "NoResult",
          message: entry?.message ?? "SQS returned no result for this entry",
        });
    }
    return result;
  }
}

/** What SQS says when a receipt handle is malformed, expired, or its message is gone or not in flight. */
export function isStaleHandleError(error: unknown): boolean {
  const code = awsErrorCode(error) ?? "";
  if (/ReceiptHandleIsInvalid|MessageNotInflight/.test(code)) return true;
  const message = error instanceof Error ? error.message : "";
  return (
    /InvalidParameterValue/.test(code) && /receipt ?handle|does not exist|not available for visibility/i.test(message)
  );
}

function assertVisibilityTimeout(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > SQS_LIMITS.maxVisibilityTimeoutSeconds) {
    throw new ValidationError(
      `visibilityTimeoutSeconds must be an integer 0-${SQS_LIMITS.maxVisibilityTimeoutSeconds}, got ${seconds}`,
    );
  }
}

/** Chunks of at most 10 entries whose sizes add up to at most 256 KiB (SendMessageBatch's limits). */
function chunkBySize<T extends { entry: EncodedEntry }>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (
      current.length > 0 &&
      (current.length >= SQS_LIMITS.maxEntriesPerBatch || bytes + item.entry.size > SQS_LIMITS.maxMessageBytes)
    ) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.entry.size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
