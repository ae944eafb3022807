import { setTimeout as sleep } from "node:timers/promises";
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { BackendError, ValidationError } from "../errors.js";
import type { DeadLetter, DeadLetterQueue } from "../ports/queue.js";
import { fullUuid, ID_CANDIDATES, idPrefixDigits } from "../schemas/id-prefix.js";
import { callAws } from "./errors.js";
import type { FailureLog, FailureRecord } from "./failure-log.js";
import type { SqsQueue } from "./queue.js";
import {
  decodeAttributes,
  decodeBody,
  type EncodedEntry,
  messageIdOf,
  ORIGINAL_ID_ATTRIBUTE,
  queueNameFromArn,
  queueNameFromUrl,
  RECEIVE_SYSTEM_ATTRIBUTES,
  SQS_LIMITS,
} from "./sqs-messages.js";

export interface SqsDeadLetterQueueOptions {
  dlqUrl: string;
  /** The queue whose dead letters these are: replays go back to it. */
  sourceQueue: SqsQueue;
  name?: string;
  failureLog?: FailureLog;
  /** How long a peeked message stays hidden while a listing runs; released (visible again) right after. Default 30 s. */
  peekVisibilitySeconds?: number;
  /** WaitTimeSeconds of the peeking receives: 1 queries every SQS server (short polls sample some). */
  peekWaitSeconds?: number;
  /** Most messages one listing looks at (SQS has no random access: list/get/replay scan). Default 1,000. */
  scanLimit?: number;
  /** How long `redrive()` of the whole DLQ waits for its message move task to finish. Default 30 s. */
  moveTaskWaitMs?: number;
  moveTaskPollMs?: number;
}

export interface MoveTaskProgress {
  taskHandle: string | null;
  status: string;
  approximateNumberOfMessagesMoved: number;
  approximateNumberOfMessagesToMove: number | null;
  failureReason: string | null;
  startedAt: Date | null;
}

const DEFAULT_LIST_LIMIT = 100;

/**
 * The SQS dead-letter queue of one source queue.
 *
 * - `list` / `get` peek without consuming: messages are received with a short visibility timeout,
 *   never deleted, and made visible again at once (ChangeMessageVisibilityBatch 0) when the scan
 *   ends. SQS counts each peek as a receive, so `receiveCount` comes from the failure log (the count
 *   when the worker last gave up on it) and falls back to ApproximateReceiveCount less this peek.
 *   `deadLetteredAt` is the time of that last failure (SQS records no dead-lettering time), else null.
 *   `sourceQueue` comes from the DeadLetterQueueSourceArn attribute.
 * - `redrive()` (all) starts a StartMessageMoveTask back to the source queue and follows it with
 *   ListMessageMoveTasks (up to `moveTaskWaitMs`; it goes on in SQS after that). `moved` lists the
 *   dead letters seen just before the task started. SQS may give moved messages new ids.
 * - `redrive({ messageIds })` replays each message: receive from the DLQ, send to the source queue
 *   (same body and attributes, the original id kept in an attribute so it keeps its id), then delete
 *   from the DLQ. A crash between send and delete can deliver a message twice: the worker dedupes.
 * - `delete(messageIds)` receives the messages (for their receipt handles, as a replay by id does) and
 *   deletes them with DeleteMessageBatch; the others seen meanwhile are released.
 */
export class SqsDeadLetterQueue implements DeadLetterQueue {
  readonly name: string;
  readonly dlqUrl: string;
  private readonly source: SqsQueue;
  private readonly failureLog: FailureLog | undefined;
  private readonly peekVisibility: number;
  private readonly peekWait: number;
  private readonly scanLimit: number;
  private readonly moveTaskWaitMs: number;
  private readonly moveTaskPollMs: number;
  private arn: string | undefined;

  constructor(
    private readonly client: SQSClient,
    options: SqsDeadLetterQueueOptions,
  ) {
    this.dlqUrl = options.dlqUrl;
    this.name = options.name ?? queueNameFromUrl(options.dlqUrl);
    this.source = options.sourceQueue;
    this.failureLog = options.failureLog;
    this.peekVisibility = options.peekVisibilitySeconds ?? 30;
    this.peekWait = options.peekWaitSeconds ?? 1;
    this.scanLimit = options.scanLimit ?? 1_000;
    this.moveTaskWaitMs = options.moveTaskWaitMs ?? 30_000;
    this.moveTaskPollMs = options.moveTaskPollMs ?? 1_000;
  }

  /** Oldest first (by last failure, then send time), among the first `scanLimit` messages SQS returns. */
  async list<TBody = unknown>(options: { limit?: number } = {}): Promise<DeadLetter<TBody>[]> {
    const limit = options.limit ?? DEFAULT_LIST_LIMIT;
    if (!Number.isInteger(limit) || limit < 1)
      throw new ValidationError(`limit must be a positive integer, got ${limit}`);
    const peeked = await this.peek(Math.max(limit, this.scanLimit));
    try {
      const letters = await this.toDeadLetters<TBody>(peeked);
      return letters.sort(oldestFirst).slice(0, limit);
    } finally {
      await this.release(peeked);
    }
  }

  async get<TBody = unknown>(messageId: string): Promise<DeadLetter<TBody> | null> {
    const peeked = await this.peek(this.scanLimit, (seen) =>
      [...seen.values()].some((m) => messageIdOf(m) === messageId),
    );
    try {
      const found = peeked.filter((m) => messageIdOf(m) === messageId);
      const [letter] = await this.toDeadLetters<TBody>(found);
      return letter ?? null;
    } finally {
      await this.release(peeked);
    }
  }

  /** Against the listed messages (the first `scanLimit` SQS returns): SQS has no lookup by id. */
  async resolveId(given: string): Promise<string[]> {
    const whole = fullUuid(given);
    const digits = whole ? null : idPrefixDigits(given);
    if (!whole && !digits) return [];
    const letters = await this.list({ limit: this.scanLimit });
    const ids = [...new Set(letters.map((letter) => letter.messageId))].filter((id) =>
      whole ? id.toLowerCase() === whole : id.toLowerCase().replaceAll("-", "").startsWith(digits!),
    );
    return ids.sort().slice(0, ID_CANDIDATES);
  }

  async redrive(options: { messageIds?: readonly string[] } = {}): Promise<{ moved: string[]; notFound: string[] }> {
    if (options.messageIds === undefined) return this.redriveAll();
    return this.replay(options.messageIds);
  }

  async depth(): Promise<number> {
    const response = await callAws(`SQS GetQueueAttributes on ${this.name}`, () =>
      this.client.send(
        new GetQueueAttributesCommand({
          QueueUrl: this.dlqUrl,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      ),
    );
    const attributes = response.Attributes ?? {};
    return (
      Number(attributes.ApproximateNumberOfMessages ?? 0) +
      Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  }

  /** Progress of the message move tasks out of this DLQ (ListMessageMoveTasks), newest first. */
  async moveTasks(maxResults = 10): Promise<MoveTaskProgress[]> {
    const response = await callAws(`SQS ListMessageMoveTasks on ${this.name}`, async () =>
      this.client.send(new ListMessageMoveTasksCommand({ SourceArn: await this.dlqArn(), MaxResults: maxResults })),
    );
    return (response.Results ?? []).map((task) => ({
      taskHandle: task.TaskHandle ?? null,
      status: task.Status ?? "UNKNOWN",
      approximateNumberOfMessagesMoved: task.ApproximateNumberOfMessagesMoved ?? 0,
      approximateNumberOfMessagesToMove: task.ApproximateNumberOfMessagesToMove ?? null,
      failureReason: task.FailureReason ?? null,
      startedAt: task.StartedTimestamp !== undefined ? new Date(task.StartedTimestamp) : null,
    }));
  }

  private async redriveAll(): Promise<{ moved: string[]; notFound: string[] }> {
    const peeked = await this.peek(this.scanLimit);
    await this.release(peeked);
    if (peeked.length === 0) return { moved: [], notFound: [] };
    const sourceArn = await this.dlqArn();
    const destinationArn = await this.source.queueArn();
    const started = await callAws(`SQS StartMessageMoveTask from ${this.name}`, () =>
      this.client.send(new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: destinationArn })),
    );
    const deadline = Date.now() + this.moveTaskWaitMs;
    for (;;) {
      const task =
        (await this.moveTasks(10)).find((t) => t.taskHandle === started.TaskHandle) ?? (await this.moveTasks(1))[0];
      if (task?.status === "FAILED") {
        throw new BackendError(
          `The message move task out of ${this.name} failed: ${task.failureReason ?? "no reason given"}`,
          {
            hint: "Check the queues' permissions and the task in the SQS console, then replay again.",
          },
        );
      }
      if (!task || task.status === "COMPLETED" || task.status === "CANCELLED" || Date.now() >= deadline) break;
      await sleep(this.moveTaskPollMs);
    }
    return { moved: peeked.map(messageIdOf), notFound: [] };
  }

  async delete(messageIds: readonly string[]): Promise<{ deleted: string[]; notFound: string[] }> {
    const unique = [...new Set(messageIds)];
    if (unique.length === 0) return { deleted: [], notFound: [] };
    const { matches, others } = await this.receiveById(unique);
    try {
      await this.deleteReceived([...matches.values()]);
    } finally {
      await this.release(others);
    }
    return { deleted: unique.filter((id) => matches.has(id)), notFound: unique.filter((id) => !matches.has(id)) };
  }

  /** Receives the DLQ until every wanted id was seen (or the scan ends): the first copy of each, and the rest. */
  private async receiveById(
    messageIds: readonly string[],
  ): Promise<{ matches: Map<string, Message>; others: Message[] }> {
    const wanted = new Set(messageIds);
    const peeked = await this.peek(this.scanLimit, (seen) => {
      const ids = new Set([...seen.values()].map(messageIdOf));
      return [...wanted].every((id) => ids.has(id));
    });
    const matches = new Map<string, Message>();
    for (const message of peeked) {
      const id = messageIdOf(message);
      if (wanted.has(id) && !matches.has(id)) matches.set(id, message);
    }
    const others = peeked.filter((m) => !matches.has(messageIdOf(m)) || matches.get(messageIdOf(m)) !== m);
    return { matches, others };
  }

  private async deleteReceived(messages: readonly Message[]): Promise<void> {
    const handles = messages.map((m) => m.ReceiptHandle ?? "");
    for (let start = 0; start < handles.length; start += SQS_LIMITS.maxEntriesPerBatch) {
      const chunk = handles.slice(start, start + SQS_LIMITS.maxEntriesPerBatch);
      await callAws(`SQS DeleteMessageBatch on ${this.name}`, () =>
        this.client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.dlqUrl,
            Entries: chunk.map((handle, i) => ({ Id: String(i), ReceiptHandle: handle })),
          }),
        ),
      );
    }
  }

  private async replay(messageIds: readonly string[]): Promise<{ moved: string[]; notFound: string[] }> {
    const { matches, others } = await this.receiveById(messageIds);
    try {
      if (matches.size > 0) {
        const entries: EncodedEntry[] = [...matches.entries()].map(([id, message]) => ({
          body: message.Body ?? "null",
          attributes: {
            ...(message.MessageAttributes ?? {}),
            [ORIGINAL_ID_ATTRIBUTE]: { DataType: "String", StringValue: id },
          },
          delaySeconds: 0,
          size: Buffer.byteLength(message.Body ?? ""),
        }));
        await this.source.sendEncoded(entries);
        await this.deleteReceived([...matches.values()]);
      }
    } finally {
      await this.release(others);
    }
    const unique = [...new Set(messageIds)];
    return { moved: unique.filter((id) => matches.has(id)), notFound: unique.filter((id) => !matches.has(id)) };
  }

  /**
   * Receives up to `max` messages with a short visibility timeout (so one scan sees each once), until
   * the DLQ returns no more or `done` says the scan found what it looks for.
   */
  private async peek(max: number, done?: (seen: ReadonlyMap<string, Message>) => boolean): Promise<Message[]> {
    const seen = new Map<string, Message>();
    while (seen.size < max) {
      const response = await callAws(`SQS ReceiveMessage on ${this.name}`, () =>
        this.client.send(
          new ReceiveMessageCommand({
            QueueUrl: this.dlqUrl,
            MaxNumberOfMessages: Math.min(SQS_LIMITS.maxEntriesPerBatch, max - seen.size),
            WaitTimeSeconds: this.peekWait,
            VisibilityTimeout: this.peekVisibility,
            MessageSystemAttributeNames: [...RECEIVE_SYSTEM_ATTRIBUTES],
            MessageAttributeNames: ["All"],
          }),
        ),
      );
      const messages = response.Messages ?? [];
      if (messages.length === 0) break;
      let fresh = 0;
      for (const message of messages) {
        const key = message.MessageId ?? message.ReceiptHandle ?? "";
        if (!seen.has(key)) fresh++;
        seen.set(key, message);
      }
      if (fresh === 0 || done?.(seen)) break;
    }
    return [...seen.values()];
  }

  /** Makes peeked messages visible again at once. */
  private async release(messages: readonly Message[]): Promise<void> {
    const handles = messages.map((m) => m.ReceiptHandle).filter((h): h is string => Boolean(h));
    for (let start = 0; start < handles.length; start += SQS_LIMITS.maxEntriesPerBatch) {
      const chunk = handles.slice(start, start + SQS_LIMITS.maxEntriesPerBatch);
      await callAws(`SQS ChangeMessageVisibilityBatch on ${this.name}`, () =>
        this.client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.dlqUrl,
            Entries: chunk.map((handle, i) => ({ Id: String(i), ReceiptHandle: handle, VisibilityTimeout: 0 })),
          }),
        ),
      );
    }
  }

  private async toDeadLetters<TBody>(messages: readonly Message[]): Promise<DeadLetter<TBody>[]> {
    let failures = new Map<string, FailureRecord>();
    if (this.failureLog && messages.length > 0) {
      failures = await this.failureLog.get(this.source.name, messages.map(messageIdOf)).catch(() => new Map());
    }
    return messages.map((message) => {
      const id = messageIdOf(message);
      const attributes = message.Attributes ?? {};
      const failure = failures.get(id);
      const approximate = Number(attributes.ApproximateReceiveCount ?? 1);
      const sent = Number(attributes.SentTimestamp);
      const sourceArn = attributes.DeadLetterQueueSourceArn;
      return {
        messageId: id,
        body: decodeBody(message.Body) as TBody,
        attributes: decodeAttributes(message.MessageAttributes),
        receiveCount: failure?.receiveCount ?? Math.max(1, approximate - 1),
        sentAt: Number.isFinite(sent) ? new Date(sent) : new Date(0),
        deadLetteredAt: failure?.at ?? null,
        lastError: failure?.error ?? null,
        sourceQueue: sourceArn ? queueNameFromArn(sourceArn) : null,
      };
    });
  }

  private async dlqArn(): Promise<string> {
    if (this.arn) return this.arn;
    const response = await callAws(`SQS GetQueueAttributes on ${this.name}`, () =>
      this.client.send(new GetQueueAttributesCommand({ QueueUrl: this.dlqUrl, AttributeNames: ["QueueArn"] })),
    );
    const arn = response.Attributes?.QueueArn;
    if (!arn) throw new BackendError(`SQS returned no QueueArn for ${this.dlqUrl}`);
    this.arn = arn;
    return arn;
  }
}

function oldestFirst(a: DeadLetter, b: DeadLetter): number {
  const at = (a.deadLetteredAt ?? a.sentAt).getTime() - (b.deadLetteredAt ?? b.sentAt).getTime();
  if (at !== 0) return at;
  const sent = a.sentAt.getTime() - b.sentAt.getTime();
  return sent !== 0 ? sent : a.messageId.localeCompare(b.messageId);
}
