import type { SqlExecutor } from "../db/sql.js";

/**
 * Deletes messages by receipt handle inside the caller's transaction, returning the handles that were
 * still current. The worker writes results only for those, so a worker whose visibility timeout
 * expired (the message was received again, with a new handle) cannot commit a late result, and a
 * result is never committed without its message being acknowledged.
 */
export async function deleteCurrentReceipts(tx: SqlExecutor, receiptHandles: readonly string[]): Promise<Set<string>> {
  if (receiptHandles.length === 0) return new Set();
  const { rows } = await tx.query<{ receipt_handle: string }>(
    `DELETE FROM queue_messages
     WHERE receipt_handle IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid)
     RETURNING receipt_handle::text AS receipt_handle`,
    [JSON.stringify(receiptHandles)],
  );
  return new Set(rows.map((r) => r.receipt_handle));
}
