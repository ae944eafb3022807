import type { SqlExecutor } from "../db/sql.js";
import type { DeliveryStore } from "../ports/deliveries.js";

/** DeliveryStore over the `webhook_deliveries` table (embedded PGlite or PostgreSQL). */
export class LocalDeliveryStore implements DeliveryStore {
  constructor(private readonly sql: SqlExecutor) {}

  async claim(channel: string, deliveryId: string, sourceId: string | null): Promise<boolean> {
    const { rows } = await this.sql.query<{ delivery_id: string }>(
      `INSERT INTO webhook_deliveries (channel, delivery_id, source_id) VALUES ($1, $2, $3)
       ON CONFLICT (channel, delivery_id) DO NOTHING RETURNING delivery_id`,
      [channel, deliveryId, sourceId],
    );
    return rows.length === 1;
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
