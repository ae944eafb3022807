import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { DeliveryStore } from "../ports/deliveries.js";
import { awsErrorCode, callAws, translateAwsError } from "./errors.js";

const DELIVERY_TTL_SECONDS = 30 * 86_400;

/**
 * DeliveryStore on a DynamoDB table with string keys `pk` / `sk` and TTL attribute `expiresAt` (the analytics table):
 * pk = `webhook-delivery#<channel>`, sk = delivery id, written with a conditional put.
 */
export class DynamoDeliveryStore implements DeliveryStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(channel: string, deliveryId: string, sourceId: string | null): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `webhook-delivery#${channel}`,
            sk: deliveryId,
            sourceId,
            receivedAt: new Date().toISOString(),
            expiresAt: Math.floor(Date.now() / 1000) + DELIVERY_TTL_SECONDS,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return true;
    } catch (error) {
      if (awsErrorCode(error) === "ConditionalCheckFailedException") return false;
      throw translateAwsError(error, `DynamoDB PutItem on ${this.tableName}`);
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
