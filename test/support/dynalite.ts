import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import dynalite from "dynalite";
import { createDocumentClient } from "../../sdk/aws/clients.js";

export interface Dynalite {
  documents: DynamoDBDocumentClient;
  /** A table shaped like the stack's analytics table: string keys `pk` (hash) and `sk` (range). */
  createTable(name: string): Promise<void>;
  close(): Promise<void>;
}

/** A table shaped like the stack's metrics and analytics tables: string keys `pk` (hash) and `sk` (range). */
export async function createPkSkTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
    }),
  );
}

/**
 * DynamoDB emulated in memory by dynalite on a free local port: the real wire protocol, key and condition
 * checks and service errors, with no Java and no network beyond 127.0.0.1.
 */
export async function startDynalite(): Promise<Dynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "eu-west-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  return {
    documents: createDocumentClient(client),
    createTable: (name) => createPkSkTable(client, name),
    async close() {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
