/**
 * A queue with SQS's contract: at-least-once delivery, visibility timeout, receive count, redrive to a
 * dead-letter queue after maxReceiveCount, retention, batch receive/delete, change visibility, and
 * receipt handles that go stale when the message is received again.
 */
export interface SendEntry {
  body: unknown;
  attributes?: Record<string, string>;
  delaySeconds?: number;
}

export interface ReceivedMessage<TBody = unknown> {
  messageId: string;
  receiptHandle: string;
  body: TBody;
  attributes: Record<string, string>;
  receiveCount: number;
  sentAt: Date;
  firstReceivedAt: Date;
}

export interface ReceiveOptions {
  maxMessages?: number;
  /** Long-poll: wait up to this long for a first message. */
  waitTimeMs?: number;
  visibilityTimeoutSeconds?: number;
}

export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
}

export interface DeadLetter<TBody = unknown> {
  messageId: string;
  body: TBody;
  attributes: Record<string, string>;
  receiveCount: number;
  sentAt: Date;
  deadLetteredAt: Date | null;
  lastError: string | null;
  sourceQueue: string | null;
}

export interface BatchResult {
  successful: string[];
  failed: { id: string; code: string; message: string }[];
}

export interface MessageQueue {
  readonly name: string;
  send(entries: readonly SendEntry[]): Promise<string[]>;
  receive<TBody = unknown>(options?: ReceiveOptions): Promise<ReceivedMessage<TBody>[]>;
  /** Deletes by receipt handle; a stale handle (message received again since) is rejected. */
  deleteBatch(receiptHandles: readonly string[]): Promise<BatchResult>;
  changeVisibility(receiptHandle: string, timeoutSeconds: number, lastError?: string): Promise<void>;
  depth(): Promise<QueueDepth>;
  /** Ends the long polls in progress at once (they return what they have); for a quick shutdown. */
  interruptReceives(): void;
}

export interface DeadLetterQueue {
  readonly name: string;
  list<TBody = unknown>(options?: { limit?: number }): Promise<DeadLetter<TBody>[]>;
  get<TBody = unknown>(messageId: string): Promise<DeadLetter<TBody> | null>;
  /**
   * The dead letters' message ids a typed id may mean: a whole id or the ids starting with a prefix of at
   * least MIN_ID_PREFIX hex digits (sdk/schemas/id-prefix.ts), at most ID_CANDIDATES. One is a match,
   * several an ambiguous prefix, none unknown.
   */
  resolveId(given: string): Promise<string[]>;
  /** Moves messages back to their source queue with a fresh receive count; all of them without ids. */
  redrive(options?: { messageIds?: readonly string[] }): Promise<{ moved: string[]; notFound: string[] }>;
  /** Deletes dead letters for good (keep a copy first if it matters); `notFound` lists ids that are not here. */
  delete(messageIds: readonly string[]): Promise<{ deleted: string[]; notFound: string[] }>;
  depth(): Promise<number>;
}
