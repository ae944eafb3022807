import type { SqlExecutor } from "../../sdk/db/sql.js";

/**
 * Remembers webhook deliveries already accepted so a redelivery (same sender delivery id) makes no
 * second item. `claim` is atomic: of two concurrent deliveries of one id, exactly one gets `true`.
 * A claim whose publish then failed is `release`d, so the sender's retry is accepted.
 */
export interface DeliveryStore {
  claim(channel: string, deliveryId: string, sourceId: string | null): Promise<boolean>;
  release(channel: string, deliveryId: string): Promise<void>;
}

/** The `webhook_deliveries` table (embedded PGlite or PostgreSQL). */
export class SqlDeliveryStore implements DeliveryStore {
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

/** In memory, for tests and single-process tools. */
export class MemoryDeliveryStore implements DeliveryStore {
  readonly claimed = new Map<string, string | null>();

  async claim(channel: string, deliveryId: string, sourceId: string | null): Promise<boolean> {
    const key = `${channel}\n${deliveryId}`;
    if (this.claimed.has(key)) return false;
    this.claimed.set(key, sourceId);
    return true;
  }

  async release(channel: string, deliveryId: string): Promise<void> {
    this.claimed.delete(`${channel}\n${deliveryId}`);
  }
}
