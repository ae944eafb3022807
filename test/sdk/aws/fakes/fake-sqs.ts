import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type ReceiveMessageCommandInput,
  SendMessageBatchCommand,
  type SendMessageBatchCommandInput,
  SQSClient,
  SQSServiceException,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";

/**
 * A small in-memory SQS (standard queue) behind aws-sdk-client-mock, with the semantics the adapter
 * relies on: visibility timeouts and receipt handles per receive, ApproximateReceiveCount, delays,
 * long polling (real time), a redrive policy that moves a message to its DLQ on the receive after
 * maxReceiveCount (keeping MessageId, SentTimestamp, the receive count and DeadLetterQueueSourceArn),
 * message move tasks that run asynchronously, and SQS's own answer to stale receipt handles: a delete
 * with an old handle succeeds without deleting (SQS does not promise to reject it).
 * Time for visibility and delays is `now()` = real time + `advance()`d seconds.
 */
const REGION = "eu-west-1";
const ACCOUNT = "123456789012";

interface FakeMessage {
  id: string;
  body: string;
  attributes: Record<string, MessageAttributeValue>;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt: number | null;
  handle: string | null;
  oldHandles: Set<string>;
  sourceArn: string | null;
}

interface FakeQueue {
  name: string;
  url: string;
  arn: string;
  visibilityTimeout: number;
  redrive: { dlqArn: string; maxReceiveCount: number } | null;
  messages: FakeMessage[];
}

interface MoveTask {
  handle: string;
  sourceArn: string;
  destinationArn: string | undefined;
  status: "RUNNING" | "COMPLETED" | "FAILED";
  moved: number;
  toMove: number;
  startedAt: number;
}

export type EntryFault = { code: string; senderFault: boolean; message?: string };

export class FakeSqs {
  readonly client: SQSClient;
  readonly mock: AwsClientStub<SQSClient>;
  private offsetMs = 0;
  private readonly queues = new Map<string, FakeQueue>();
  private readonly tasks: MoveTask[] = [];
  /** Per operation, faults to apply to the next entries (one per entry, in order). */
  readonly entryFaults = new Map<string, EntryFault[]>();
  /** Per operation, errors the next calls throw. */
  readonly callFaults = new Map<string, Error[]>();
  /** Every call received, by command name, for assertions. */
  readonly calls: { command: string; input: unknown }[] = [];

  constructor() {
    this.client = new SQSClient({ region: REGION, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    this.mock = mockClient(this.client);
    const route =
      <I, O>(command: string, handler: (input: I) => O | Promise<O>) =>
      async (input: I) => {
        this.calls.push({ command, input });
        const fault = this.callFaults.get(command)?.shift();
        if (fault) throw fault;
        return handler(input);
      };
    this.mock
      .on(SendMessageBatchCommand)
      .callsFake(route("SendMessageBatch", (i: SendMessageBatchCommandInput) => this.sendBatch(i)));
    this.mock
      .on(ReceiveMessageCommand)
      .callsFake(route("ReceiveMessage", (i: ReceiveMessageCommandInput) => this.receive(i)));
    this.mock.on(DeleteMessageBatchCommand).callsFake(route("DeleteMessageBatch", (i) => this.deleteBatch(i)));
    this.mock
      .on(ChangeMessageVisibilityCommand)
      .callsFake(route("ChangeMessageVisibility", (i) => this.changeVisibility(i)));
    this.mock
      .on(ChangeMessageVisibilityBatchCommand)
      .callsFake(route("ChangeMessageVisibilityBatch", (i) => this.changeVisibilityBatch(i)));
    this.mock.on(GetQueueAttributesCommand).callsFake(route("GetQueueAttributes", (i) => this.getAttributes(i)));
    this.mock.on(StartMessageMoveTaskCommand).callsFake(route("StartMessageMoveTask", (i) => this.startMoveTask(i)));
    this.mock.on(ListMessageMoveTasksCommand).callsFake(route("ListMessageMoveTasks", (i) => this.listMoveTasks(i)));
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  async advance(seconds: number): Promise<void> {
    this.offsetMs += seconds * 1000;
  }

  createQueue(
    name: string,
    options: { visibilityTimeout?: number; deadLetterQueue?: string; maxReceiveCount?: number } = {},
  ): string {
    const url = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
    const dlq = options.deadLetterQueue ? this.byName(options.deadLetterQueue) : null;
    this.queues.set(url, {
      name,
      url,
      arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
      visibilityTimeout: options.visibilityTimeout ?? 30,
      redrive: dlq ? { dlqArn: dlq.arn, maxReceiveCount: options.maxReceiveCount ?? 5 } : null,
      messages: [],
    });
    return url;
  }

  /** Messages of a queue (a copy), e.g. to assert on what was sent. */
  messages(url: string): FakeMessage[] {
    return this.queue(url).messages.map((m) => ({ ...m }));
  }

  failEntries(operation: string, ...faults: EntryFault[]): void {
    this.entryFaults.set(operation, [...(this.entryFaults.get(operation) ?? []), ...faults]);
  }

  failCall(operation: string, error: Error): void {
    this.callFaults.set(operation, [...(this.callFaults.get(operation) ?? []), error]);
  }

  restore(): void {
    this.mock.restore();
  }

  private nextEntryFault(operation: string): EntryFault | undefined {
    return this.entryFaults.get(operation)?.shift();
  }

  private queue(url: string | undefined): FakeQueue {
    const queue = url ? this.queues.get(url) : undefined;
    if (!queue) throw serviceError("QueueDoesNotExist", "The specified queue does not exist.", 400);
    return queue;
  }

  private byName(name: string): FakeQueue {
    const queue = [...this.queues.values()].find((q) => q.name === name);
    if (!queue) throw new Error(`no fake queue ${name}`);
    return queue;
  }

  private byArn(arn: string | undefined): FakeQueue {
    const queue = [...this.queues.values()].find((q) => q.arn === arn);
    if (!queue) throw serviceError("ResourceNotFoundException", `no queue ${arn}`, 400);
    return queue;
  }

  private sendBatch(input: SendMessageBatchCommandInput) {
    const queue = this.queue(input.QueueUrl);
    const entries = input.Entries ?? [];
    if (entries.length === 0) throw serviceError("EmptyBatchRequest", "empty", 400);
    if (entries.length > 10) throw serviceError("TooManyEntriesInBatchRequest", "too many", 400);
    const total = entries.reduce((n, e) => n + Buffer.byteLength(e.MessageBody ?? ""), 0);
    if (total > 262_144)
      throw serviceError("BatchRequestTooLong", "Batch requests cannot be longer than 262144 bytes", 400);
    const Successful: { Id: string; MessageId: string; MD5OfMessageBody: string }[] = [];
    const Failed: { Id: string; SenderFault: boolean; Code: string; Message?: string }[] = [];
    for (const entry of entries) {
      const fault = this.nextEntryFault("SendMessageBatch");
      if (fault) {
        Failed.push({
          Id: entry.Id ?? "",
          SenderFault: fault.senderFault,
          Code: fault.code,
          Message: fault.message ?? fault.code,
        });
        continue;
      }
      const id = randomUUID();
      const now = this.now();
      queue.messages.push({
        id,
        body: entry.MessageBody ?? "",
        attributes: entry.MessageAttributes ?? {},
        sentAt: now,
        visibleAt: now + (entry.DelaySeconds ?? 0) * 1000,
        receiveCount: 0,
        firstReceivedAt: null,
        handle: null,
        oldHandles: new Set(),
        sourceArn: null,
      });
      Successful.push({ Id: entry.Id ?? "", MessageId: id, MD5OfMessageBody: "" });
    }
    return { Successful, Failed };
  }

  private async receive(input: ReceiveMessageCommandInput) {
    const queue = this.queue(input.QueueUrl);
    const max = input.MaxNumberOfMessages ?? 1;
    if (max < 1 || max > 10) throw serviceError("InvalidParameterValue", "MaxNumberOfMessages must be 1-10", 400);
    const deadline = Date.now() + (input.WaitTimeSeconds ?? 0) * 1000;
    for (;;) {
      const messages = this.receiveNow(queue, max, input);
      if (messages.length > 0 || Date.now() >= deadline)
        return { Messages: messages.length > 0 ? messages : undefined };
      await sleep(Math.min(20, Math.max(1, deadline - Date.now())));
    }
  }

  private receiveNow(queue: FakeQueue, max: number, input: ReceiveMessageCommandInput): Message[] {
    const now = this.now();
    const visible = queue.messages.filter((m) => m.visibleAt <= now).sort((a, b) => a.visibleAt - b.visibleAt);
    const delivered: Message[] = [];
    for (const message of visible) {
      if (delivered.length >= max) break;
      if (queue.redrive && message.receiveCount >= queue.redrive.maxReceiveCount) {
        const dlq = this.byArn(queue.redrive.dlqArn);
        queue.messages.splice(queue.messages.indexOf(message), 1);
        if (message.handle) message.oldHandles.add(message.handle);
        dlq.messages.push({ ...message, handle: null, visibleAt: now, sourceArn: queue.arn });
        continue;
      }
      if (message.handle) message.oldHandles.add(message.handle);
      message.handle = `fake-rh-${randomUUID()}`;
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + (input.VisibilityTimeout ?? queue.visibilityTimeout) * 1000;
      delivered.push(this.toMessage(message, input));
    }
    return delivered;
  }

  private toMessage(message: FakeMessage, input: ReceiveMessageCommandInput): Message {
    const wanted = new Set<string>(input.MessageSystemAttributeNames ?? []);
    const all: Record<string, string> = {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
      ...(message.sourceArn ? { DeadLetterQueueSourceArn: message.sourceArn } : {}),
    };
    const Attributes = Object.fromEntries(Object.entries(all).filter(([k]) => wanted.has("All") || wanted.has(k)));
    const wantsMessageAttributes = (input.MessageAttributeNames ?? []).some((n) => n === "All" || n === ".*");
    return {
      MessageId: message.id,
      ReceiptHandle: message.handle ?? "",
      Body: message.body,
      Attributes,
      ...(wantsMessageAttributes && Object.keys(message.attributes).length > 0
        ? { MessageAttributes: { ...message.attributes } }
        : {}),
    };
  }

  private findByHandle(
    queue: FakeQueue,
    handle: string | undefined,
  ): { message: FakeMessage; current: boolean } | null {
    if (!handle?.startsWith("fake-rh-"))
      throw serviceError(
        "ReceiptHandleIsInvalid",
        `The input receipt handle "${handle}" is not a valid receipt handle.`,
        400,
      );
    for (const message of queue.messages) {
      if (message.handle === handle) return { message, current: true };
      if (message.oldHandles.has(handle)) return { message, current: false };
    }
    return null;
  }

  private deleteBatch(input: { QueueUrl?: string; Entries?: { Id?: string; ReceiptHandle?: string }[] }) {
    const queue = this.queue(input.QueueUrl);
    const Successful: { Id: string }[] = [];
    const Failed: { Id: string; SenderFault: boolean; Code: string; Message: string }[] = [];
    for (const entry of input.Entries ?? []) {
      const fault = this.nextEntryFault("DeleteMessageBatch");
      if (fault) {
        Failed.push({
          Id: entry.Id ?? "",
          SenderFault: fault.senderFault,
          Code: fault.code,
          Message: fault.message ?? fault.code,
        });
        continue;
      }
      try {
        const found = this.findByHandle(queue, entry.ReceiptHandle);
        if (found?.current) queue.messages.splice(queue.messages.indexOf(found.message), 1);
        Successful.push({ Id: entry.Id ?? "" });
      } catch (error) {
        Failed.push({
          Id: entry.Id ?? "",
          SenderFault: true,
          Code: (error as Error).name,
          Message: (error as Error).message,
        });
      }
    }
    return { Successful, Failed };
  }

  private setVisibility(queue: FakeQueue, handle: string | undefined, seconds: number): void {
    const found = this.findByHandle(queue, handle);
    if (!found || !found.current) {
      throw serviceError(
        "InvalidParameterValue",
        `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
        400,
      );
    }
    found.message.visibleAt = this.now() + seconds * 1000;
  }

  private changeVisibility(input: { QueueUrl?: string; ReceiptHandle?: string; VisibilityTimeout?: number }) {
    this.setVisibility(this.queue(input.QueueUrl), input.ReceiptHandle, input.VisibilityTimeout ?? 0);
    return {};
  }

  private changeVisibilityBatch(input: {
    QueueUrl?: string;
    Entries?: { Id?: string; ReceiptHandle?: string; VisibilityTimeout?: number }[];
  }) {
    const queue = this.queue(input.QueueUrl);
    const Successful: { Id: string }[] = [];
    const Failed: { Id: string; SenderFault: boolean; Code: string; Message: string }[] = [];
    for (const entry of input.Entries ?? []) {
      try {
        this.setVisibility(queue, entry.ReceiptHandle, entry.VisibilityTimeout ?? 0);
        Successful.push({ Id: entry.Id ?? "" });
      } catch (error) {
        Failed.push({
          Id: entry.Id ?? "",
          SenderFault: true,
          Code: (error as Error).name,
          Message: (error as Error).message,
        });
      }
    }
    return { Successful, Failed };
  }

  private getAttributes(input: { QueueUrl?: string; AttributeNames?: string[] }) {
    const queue = this.queue(input.QueueUrl);
    const now = this.now();
    const visible = queue.messages.filter((m) => m.visibleAt <= now).length;
    const inFlight = queue.messages.filter((m) => m.visibleAt > now && m.handle !== null).length;
    const delayed = queue.messages.filter((m) => m.visibleAt > now && m.handle === null).length;
    const all: Record<string, string> = {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(visible),
      ApproximateNumberOfMessagesNotVisible: String(inFlight),
      ApproximateNumberOfMessagesDelayed: String(delayed),
      VisibilityTimeout: String(queue.visibilityTimeout),
    };
    const names = input.AttributeNames ?? ["All"];
    return {
      Attributes: Object.fromEntries(Object.entries(all).filter(([k]) => names.includes("All") || names.includes(k))),
    };
  }

  private startMoveTask(input: { SourceArn?: string; DestinationArn?: string }) {
    const source = this.byArn(input.SourceArn);
    if (this.tasks.some((t) => t.sourceArn === source.arn && t.status === "RUNNING")) {
      throw serviceError("UnsupportedOperation", "A message move task is already running for this source", 400);
    }
    const task: MoveTask = {
      handle: `task-${randomUUID()}`,
      sourceArn: source.arn,
      destinationArn: input.DestinationArn,
      status: "RUNNING",
      moved: 0,
      toMove: source.messages.length,
      startedAt: Date.now(),
    };
    this.tasks.unshift(task);
    // Moves one message every few milliseconds, like a task that takes a while.
    const step = () => {
      const now = this.now();
      const next = source.messages.find((m) => m.visibleAt <= now);
      if (!next) {
        task.status = "COMPLETED";
        return;
      }
      source.messages.splice(source.messages.indexOf(next), 1);
      const destination = task.destinationArn
        ? this.byArn(task.destinationArn)
        : this.byArn(next.sourceArn ?? undefined);
      destination.messages.push({
        ...next,
        id: randomUUID(),
        sentAt: now,
        visibleAt: now,
        receiveCount: 0,
        firstReceivedAt: null,
        handle: null,
        oldHandles: new Set(),
        sourceArn: null,
      });
      task.moved += 1;
      setTimeout(step, 5);
    };
    setTimeout(step, 5);
    return { TaskHandle: task.handle };
  }

  private listMoveTasks(input: { SourceArn?: string; MaxResults?: number }) {
    const results = this.tasks
      .filter((t) => t.sourceArn === input.SourceArn)
      .slice(0, input.MaxResults ?? 1)
      .map((t) => ({
        TaskHandle: t.status === "RUNNING" ? t.handle : undefined,
        Status: t.status,
        SourceArn: t.sourceArn,
        DestinationArn: t.destinationArn,
        ApproximateNumberOfMessagesMoved: t.moved,
        ApproximateNumberOfMessagesToMove: t.toMove,
        StartedTimestamp: t.startedAt,
      }));
    return { Results: results };
  }
}

export function serviceError(name: string, message: string, status: number): SQSServiceException {
  return new SQSServiceException({
    name,
    message,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
  });
}
