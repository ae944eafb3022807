import type { SqlExecutor } from "../db/sql.js";
import { compareDelivery, type DeliveryClaim, type DeliveryStore, type DeliveryToClaim } from "../ports/deliveries.js";

/** DeliveryStore over the `webhook_deliveries` table (embedded PGlite or PostgreSQL). */
export class LocalDeliveryStore implements DeliveryStore {
  constructor(private readonly sql: SqlExecutor) {}

  async claim({ channel, deliveryId, sourceId, contentHash }: DeliveryToClaim): Promise<DeliveryClaim> {
    // A row released between the insert and the read is claimed again on the next turn.
    for (let attempt = 0; ; attempt++) {
      const { rows } = await this.sql.query<{ delivery_id: string }>(
        `INSERT INTO webhook_deliveries (channel, delivery_id, source_id, content_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (channel, delivery_id) DO NOTHING RETURNING delivery_id`,
        [channel, deliveryId, sourceId, contentHash],
      );
      if (rows.length === 1) return "claimed";
      const existing = await this.sql.query<{ content_hash: string | null }>(
        `SELECT content_hash FROM webhook_deliveries WHERE channel = $1 AND delivery_id = $2`,
        [channel, deliveryId],
      );
      const row = existing.rows[0];
      if (row) return compareDelivery(row.content_hash, contentHash);
      if (attempt >= 2) return "duplicate";
    }
  }

  async release(channel: string, deliveryId: string): Promise<void> {
    await this.sql.query(`DELETE FROM webhook_deliveries WHERE channel = $1 AND delivery_id = $2`, [
      channel,
      deliveryId,
    ]);
  }

  /** Forgets deliveries older than `days` (senders stop retrying within hours). */
  async purgeOlderThan(days: number): Promise<number> {
    const { affectedRows } = await this.sql.query(
      `DELETE FROM webhook_deliveries WHERE received_at < now() - make_interval(days => $1)`,
      [days],
    );
    return affectedRows;
  }
}
