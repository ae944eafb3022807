import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../../sdk/db/migrate.js";
import { LocalDeliveryStore } from "../../../sdk/local/deliveries.js";
import { createTestDatabase, type TestDatabase } from "../../support/database.js";
import { MemoryDeliveryStore } from "../../support/memory-delivery-store.js";
import { describeDeliveryStoreContract } from "../contracts/delivery-store-contract.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

/** A row as the table held it before the content_hash column (and as the migration leaves old rows). */
const insertOldRow = async (channel: string, deliveryId: string) => {
  await db.sql.query(`INSERT INTO webhook_deliveries (channel, delivery_id, source_id) VALUES ($1, $2, NULL)`, [
    channel,
    deliveryId,
  ]);
};

describeDeliveryStoreContract("LocalDeliveryStore on the webhook_deliveries table", async () => ({
  store: new LocalDeliveryStore(db.sql),
  rememberWithoutHash: insertOldRow,
  close: async () => undefined,
}));

describeDeliveryStoreContract("MemoryDeliveryStore (the handler tests' double)", async () => {
  const store = new MemoryDeliveryStore();
  return {
    store,
    rememberWithoutHash: async (channel, deliveryId) => store.rememberWithoutHash(channel, deliveryId),
    close: async () => undefined,
  };
});

const HASH = "c".repeat(64);
const HASH_MIGRATION = "20261206000000_webhook_delivery_hash";

describe("LocalDeliveryStore", () => {
  it("forgets deliveries older than the given number of days and keeps the recent ones", async () => {
    const store = new LocalDeliveryStore(db.sql);
    await store.claim({ channel: "purge", deliveryId: "old", sourceId: null, contentHash: HASH });
    await store.claim({ channel: "purge", deliveryId: "recent", sourceId: null, contentHash: HASH });
    await db.sql.query(
      `UPDATE webhook_deliveries SET received_at = now() - interval '31 days' WHERE channel = $1 AND delivery_id = $2`,
      ["purge", "old"],
    );
    expect(await store.purgeOlderThan(30)).toBe(1);
    expect(await store.claim({ channel: "purge", deliveryId: "old", sourceId: null, contentHash: HASH })).toBe(
      "claimed",
    );
    expect(await store.claim({ channel: "purge", deliveryId: "recent", sourceId: null, contentHash: HASH })).toBe(
      "duplicate",
    );
  });

  it("the content_hash migration keeps the deliveries already remembered, as duplicates of any content", async () => {
    const scratch = await createTestDatabase();
    try {
      // The table as it was before 20261206000000_webhook_delivery_hash, holding a delivery.
      await scratch.sql.query(`ALTER TABLE webhook_deliveries DROP COLUMN content_hash`);
      await scratch.sql.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [HASH_MIGRATION]);
      await scratch.sql.query(
        `INSERT INTO webhook_deliveries (channel, delivery_id, source_id) VALUES ('zendesk', 'inv-old', 'zendesk:1')`,
      );
      expect(await migrate(scratch.sql)).toEqual({ applied: [HASH_MIGRATION] });
      const { rows } = await scratch.sql.query<{ source_id: string; content_hash: string | null }>(
        `SELECT source_id, content_hash FROM webhook_deliveries WHERE channel = 'zendesk' AND delivery_id = 'inv-old'`,
      );
      expect(rows).toEqual([{ source_id: "zendesk:1", content_hash: null }]);
      const store = new LocalDeliveryStore(scratch.sql);
      expect(
        await store.claim({ channel: "zendesk", deliveryId: "inv-old", sourceId: "zendesk:1", contentHash: HASH }),
      ).toBe("duplicate");
      expect(
        await store.claim({ channel: "zendesk", deliveryId: "inv-new", sourceId: "zendesk:2", contentHash: HASH }),
      ).toBe("claimed");
    } finally {
      await scratch.close();
    }
  });
});
