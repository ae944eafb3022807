import type { SqlExecutor } from "../db/sql.js";
import { NotFoundError, ValidationError } from "../errors.js";

/** One row of the `queues` table: SQS's queue attributes and redrive policy. */
export interface QueueSettings {
  visibilityTimeoutSeconds: number;
  /** Receives after which a message goes to `deadLetterQueue` (SQS redrive policy); ignored without one. */
  maxReceiveCount: number;
  retentionSeconds: number;
  deadLetterQueue: string | null;
}

interface QueueRow {
  visibility_timeout_s: number;
  max_receive_count: number;
  retention_s: number;
  dead_letter_queue: string | null;
}

/** SQS's limits for the queue attributes, so a local queue never accepts what SQS would refuse. */
export const QUEUE_LIMITS = {
  maxVisibilityTimeoutSeconds: 43_200,
  minRetentionSeconds: 60,
  maxRetentionSeconds: 1_209_600,
  maxReceiveCount: 1_000,
} as const;

export async function loadQueueSettings(sql: SqlExecutor, name: string): Promise<QueueSettings> {
  const { rows } = await sql.query<QueueRow>(
    `SELECT visibility_timeout_s, max_receive_count, retention_s, dead_letter_queue FROM queues WHERE name = $1`,
    [name],
  );
  const row = rows[0];
  if (!row) {
    throw new NotFoundError(`Queue "${name}" does not exist`, {
      hint: "Run the database migrations, or create the queue with ensureQueue().",
    });
  }
  return {
    visibilityTimeoutSeconds: row.visibility_timeout_s,
    maxReceiveCount: row.max_receive_count,
    retentionSeconds: row.retention_s,
    deadLetterQueue: row.dead_letter_queue,
  };
}

/** Creates the queue or updates its attributes (like SQS CreateQueue + SetQueueAttributes). */
export async function ensureQueue(sql: SqlExecutor, name: string, settings: QueueSettings): Promise<void> {
  validateQueueSettings(name, settings);
  await sql.query(
    `INSERT INTO queues (name, visibility_timeout_s, max_receive_count, retention_s, dead_letter_queue)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (name) DO UPDATE SET visibility_timeout_s = EXCLUDED.visibility_timeout_s,
       max_receive_count = EXCLUDED.max_receive_count, retention_s = EXCLUDED.retention_s,
       dead_letter_queue = EXCLUDED.dead_letter_queue`,
    [
      name,
      settings.visibilityTimeoutSeconds,
      settings.maxReceiveCount,
      settings.retentionSeconds,
      settings.deadLetterQueue,
    ],
  );
}

function validateQueueSettings(name: string, settings: QueueSettings): void {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) problems.push("name must be 1-80 letters, digits, '-' or '_'");
  if (!isIntIn(settings.visibilityTimeoutSeconds, 0, QUEUE_LIMITS.maxVisibilityTimeoutSeconds)) {
    problems.push(`visibilityTimeoutSeconds must be an integer 0-${QUEUE_LIMITS.maxVisibilityTimeoutSeconds}`);
  }
  if (!isIntIn(settings.maxReceiveCount, 1, QUEUE_LIMITS.maxReceiveCount)) {
    problems.push(`maxReceiveCount must be an integer 1-${QUEUE_LIMITS.maxReceiveCount}`);
  }
  if (!isIntIn(settings.retentionSeconds, QUEUE_LIMITS.minRetentionSeconds, QUEUE_LIMITS.maxRetentionSeconds)) {
    problems.push(
      `retentionSeconds must be an integer ${QUEUE_LIMITS.minRetentionSeconds}-${QUEUE_LIMITS.maxRetentionSeconds}`,
    );
  }
  if (settings.deadLetterQueue === name) problems.push("a queue cannot be its own dead-letter queue");
  if (problems.length > 0) throw new ValidationError(`Invalid settings for queue "${name}": ${problems.join("; ")}`);
}

export function isIntIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}
