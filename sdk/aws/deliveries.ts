import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { compareDelivery, type DeliveryClaim, type DeliveryStore, type DeliveryToClaim } from "../ports/deliveries.js";
import { awsErrorCode, callAws, translateAwsError } from "./errors.js";

const DELIVERY_TTL_SECONDS = 30 * 86_400;

/**
 * DeliveryStore on a DynamoDB table with string keys `pk` / `sk` and TTL attribute `expiresAt` (the analytics table):
 * pk = `webhook-delivery#<channel>`, sk = delivery id, written with a conditional put; `contentHash` tells a
 * redelivery from a reused id (items written before it was kept have none and count as redeliveries).
 */
export class DynamoDeliveryStore implements DeliveryStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim({ channel, deliveryId, sourceId, contentHash }: DeliveryToClaim): Promise<DeliveryClaim> {
    const key = { pk: `webhook-delivery#${channel}`, sk: deliveryId };
    // A delivery released between the put and the read is claimed again on the next turn.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...key,
              sourceId,
              contentHash,
              receivedAt: new Date().toISOString(),
              expiresAt: Math.floor(Date.now() / 1000) + DELIVERY_TTL_SECONDS,
            },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        );
        return "claimed";
      } catch (error) {
        if (awsErrorCode(error) !== "ConditionalCheckFailedException")
          throw translateAwsError(error, `DynamoDB PutItem on ${this.tableName}`);
      }
      const { Item } = await callAws(`DynamoDB GetItem on ${this.tableName}`, () =>
        this.documents.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
      );
      if (Item) return compareDelivery(Item.contentHash as string | null | undefined, contentHash);
      if (attempt >= 2) return "duplicate";
    }
  }

  async release(channel: string, deliveryId: string): Promise<void> {
    await callAws(`DynamoDB DeleteItem on ${this.tableName}`, () =>
      this.documents.send(
        new DeleteCommand({ TableName: this.tableName, Key: { pk: `webhook-delivery#${channel}`, sk: deliveryId } }),
      ),
    );
  }
}
