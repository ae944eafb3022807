import { BatchGetCommand, type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { callAws } from "./errors.js";
import { type RetryPolicy, retryFailedEntries, retryPolicy } from "./retry.js";

/**
 * SQS keeps no "last error" on a message, so the SQS adapter records the error a worker gave when it
 * released a message (`changeVisibility(handle, delay, lastError)`) here, keyed by queue and message id,
 * and the dead-letter queue reads it back for `dlq list`. It also keeps the receive count and time of
 * that attempt, which SQS cannot tell once the message sits in the DLQ (peeking there counts as a
 * receive). Best effort: a lost record only means "(no error recorded)".
 */
export interface FailureRecord {
  queue: string;
  messageId: string;
  error: string;
  receiveCount: number;
  at: Date;
}

export interface FailureLog {
  record(entry: FailureRecord): Promise<void>;
  get(queue: string, messageIds: readonly string[]): Promise<Map<string, FailureRecord>>;
}

export class MemoryFailureLog implements FailureLog {
  private readonly entries = new Map<string, FailureRecord>();

  async record(entry: FailureRecord): Promise<void> {
    this.entries.set(`${entry.queue}\n${entry.messageId}`, { ...entry });
  }

  async get(queue: string, messageIds: readonly string[]): Promise<Map<string, FailureRecord>> {
    const found = new Map<string, FailureRecord>();
    for (const id of messageIds) {
      const entry = this.entries.get(`${queue}\n${id}`);
      if (entry) found.set(id, { ...entry });
    }
    return found;
  }
}

/** SQS keeps a message 14 days at most; the record outlives that a little. */
const FAILURE_TTL_SECONDS = 15 * 24 * 3600;
const BATCH_GET_MAX_KEYS = 100;

/**
 * FailureLog in a DynamoDB table with string keys `pk` / `sk` and TTL attribute `expiresAt` (the
 * analytics table): pk = `dlq-error#<queue>`, sk = message id.
 */
export class DynamoFailureLog implements FailureLog {
  private readonly retry: RetryPolicy;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    retry: Partial<RetryPolicy> = {},
  ) {
    this.retry = retryPolicy(retry);
  }

  async record(entry: FailureRecord): Promise<void> {
    await callAws(`DynamoDB PutItem on ${this.tableName}`, () =>
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `dlq-error#${entry.queue}`,
            sk: entry.messageId,
            error: entry.error.slice(0, 4_000),
            receiveCount: entry.receiveCount,
            at: entry.at.toISOString(),
            expiresAt: Math.floor(entry.at.getTime() / 1000) + FAILURE_TTL_SECONDS,
          },
        }),
      ),
    );
  }

  async get(queue: string, messageIds: readonly string[]): Promise<Map<string, FailureRecord>> {
    const found = new Map<string, FailureRecord>();
    const unique = [...new Set(messageIds)];
    for (let start = 0; start < unique.length; start += BATCH_GET_MAX_KEYS) {
      const keys = unique.slice(start, start + BATCH_GET_MAX_KEYS).map((id) => ({ pk: `dlq-error#${queue}`, sk: id }));
      await retryFailedEntries(this.retry, keys, async (batch) => {
        const response = await callAws(`DynamoDB BatchGetItem on ${this.tableName}`, () =>
          this.documents.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: [...batch] } } })),
        );
        for (const item of response.Responses?.[this.tableName] ?? []) {
          found.set(String(item.sk), {
            queue,
            messageId: String(item.sk),
            error: String(item.error ?? ""),
            receiveCount: Number(item.receiveCount ?? 0),
            at: new Date(String(item.at)),
          });
        }
        return (response.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as { pk: string; sk: string }[];
      });
    }
    return found;
  }
}
