import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDeliveryStore } from "../../../sdk/local/deliveries.js";
import { createTestDatabase, type TestDatabase } from "../../support/database.js";
import { MemoryDeliveryStore } from "../../support/memory-delivery-store.js";
import { describeDeliveryStoreContract } from "../contracts/delivery-store-contract.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

describeDeliveryStoreContract("LocalDeliveryStore on the webhook_deliveries table", async () => ({
  store: new LocalDeliveryStore(db.sql),
  close: async () => undefined,
}));

describeDeliveryStoreContract("MemoryDeliveryStore (the handler tests' double)", async () => ({
  store: new MemoryDeliveryStore(),
  close: async () => undefined,
}));

describe("LocalDeliveryStore", () => {
  it("forgets deliveries older than the given number of days and keeps the recent ones", async () => {
    const store = new LocalDeliveryStore(db.sql);
    await store.claim("purge", "old", null);
    await store.claim("purge", "recent", null);
    await db.sql.query(
      `UPDATE webhook_deliveries SET received_at = now() - interval '31 days' WHERE channel = $1 AND delivery_id = $2`,
      ["purge", "old"],
    );
    expect(await store.purgeOlderThan(30)).toBe(1);
    expect(await store.claim("purge", "old", null)).toBe(true);
    expect(await store.claim("purge", "recent", null)).toBe(false);
  });
});
