import { randomUUID } from "node:crypto";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDeliveryStore } from "../../../sdk/aws/deliveries.js";
import { NotFoundError } from "../../../sdk/errors.js";
import { type Dynalite, startDynalite } from "../../support/dynalite.js";
import { describeDeliveryStoreContract } from "../contracts/delivery-store-contract.js";

const TABLE = "feedback-analytics";
let dynamo: Dynalite;
beforeAll(async () => {
  dynamo = await startDynalite();
  await dynamo.createTable(TABLE);
});
afterAll(async () => dynamo?.close());

describeDeliveryStoreContract("DynamoDeliveryStore on dynalite (in-memory DynamoDB)", async () => ({
  store: new DynamoDeliveryStore(dynamo.documents, TABLE),
  // An item as the store wrote it before it kept content hashes.
  rememberWithoutHash: async (channel, deliveryId) => {
    await dynamo.documents.send(
      new PutCommand({
        TableName: TABLE,
        Item: {
          pk: `webhook-delivery#${channel}`,
          sk: deliveryId,
          sourceId: null,
          receivedAt: new Date().toISOString(),
        },
      }),
    );
  },
  close: async () => undefined,
}));

const HASH = "d".repeat(64);

describe("DynamoDeliveryStore", () => {
  it("keeps each delivery as an item of the analytics table that DynamoDB's TTL removes after 30 days", async () => {
    const store = new DynamoDeliveryStore(dynamo.documents, TABLE);
    const id = randomUUID();
    const before = Math.floor(Date.now() / 1000);
    await store.claim({ channel: "generic", deliveryId: id, sourceId: `generic:${id}`, contentHash: HASH });
    const { Item } = await dynamo.documents.send(
      new GetCommand({ TableName: TABLE, Key: { pk: "webhook-delivery#generic", sk: id } }),
    );
    expect(Item).toMatchObject({ sourceId: `generic:${id}`, contentHash: HASH, receivedAt: expect.any(String) });
    expect(Item?.expiresAt).toBeGreaterThanOrEqual(before + 30 * 86_400);
    expect(Item?.expiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 30 * 86_400);
  });

  it("turns DynamoDB's errors into SDK errors that keep the original as cause", async () => {
    const store = new DynamoDeliveryStore(dynamo.documents, "no-such-table");
    for (const call of [
      store.claim({ channel: "generic", deliveryId: "g-1", sourceId: null, contentHash: HASH }),
      store.release("generic", "g-1"),
    ]) {
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).message).toMatch(/no-such-table/);
      expect((error as NotFoundError).cause).toMatchObject({ name: "ResourceNotFoundException" });
    }
  });
});
