import type { SqlExecutor } from "../../../sdk/db/sql.js";
import { ensureQueue, type QueueSettings } from "../../../sdk/local/queue.js";

let counter = 0;

/** A fresh queue and its dead-letter queue with unique names, in an already migrated database. */
export async function createQueuePair(
  sql: SqlExecutor,
  settings: Partial<Omit<QueueSettings, "deadLetterQueue">> = {},
): Promise<{ name: string; dlqName: string }> {
  const name = `test-${process.pid}-${++counter}`;
  const dlqName = `${name}-dlq`;
  const retentionSeconds = settings.retentionSeconds ?? 3_600;
  await ensureQueue(sql, dlqName, {
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: 5,
    retentionSeconds: 1_209_600,
    deadLetterQueue: null,
  });
  await ensureQueue(sql, name, {
    visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds ?? 30,
    maxReceiveCount: settings.maxReceiveCount ?? 3,
    retentionSeconds,
    deadLetterQueue: dlqName,
  });
  return { name, dlqName };
}

/**
 * Makes `seconds` pass for the messages of the given queues by moving every stored time back; the
 * database clock itself is untouched, so this is what "later" looks like to the queue's SQL.
 */
export async function shiftQueueClock(sql: SqlExecutor, queues: readonly string[], seconds: number): Promise<void> {
  await sql.query(
    `UPDATE queue_messages SET
       sent_at = sent_at - make_interval(secs => $2),
       visible_at = visible_at - make_interval(secs => $2),
       expires_at = expires_at - make_interval(secs => $2),
       first_received_at = first_received_at - make_interval(secs => $2),
       dead_lettered_at = dead_lettered_at - make_interval(secs => $2)
     WHERE queue IN (SELECT jsonb_array_elements_text($1::text::jsonb))`,
    [JSON.stringify(queues), seconds],
  );
}
