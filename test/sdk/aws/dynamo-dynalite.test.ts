import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoMetricsSink } from "../../../sdk/aws/metrics.js";
import { destroyAwsClients, emulatedClients, startDynaliteEmulator } from "../../support/aws-emulators.js";
import { describeMetricsContract } from "../contracts/metrics-contract.js";

/**
 * The DynamoDB metrics adapter on dynalite (DynamoDB's wire protocol on an in-memory LevelDB, 127.0.0.1),
 * reached through AWS_ENDPOINT_URL_DYNAMODB: BatchWriteItem, UpdateItem ADD counters and Query with a filter,
 * as DynamoDB evaluates them. dynalite cannot check: TTL (UpdateTimeToLive is not implemented and expired
 * items are never deleted: the sink's own filter is what hides them here), throttling and UnprocessedItems
 * (those stay on aws-sdk-client-mock in metrics.test.ts), IAM.
 */
let dynalite: Awaited<ReturnType<typeof startDynaliteEmulator>>;
beforeAll(async () => {
  dynalite = await startDynaliteEmulator();
});
afterAll(async () => dynalite?.close());

let counter = 0;
async function freshSink(now?: () => Date) {
  const clients = emulatedClients();
  const id = ++counter;
  await dynalite.createTable(`metrics-${id}`);
  await dynalite.createTable(`analytics-${id}`);
  const sink = new DynamoMetricsSink(clients.dynamo, {
    metricsTable: `metrics-${id}`,
    analyticsTable: `analytics-${id}`,
    retry: { baseDelayMs: 0, sleep: async () => undefined },
    now,
  });
  return { sink, close: async () => destroyAwsClients(clients) };
}

describeMetricsContract("DynamoMetricsSink on dynalite (DynamoDB emulator)", () => freshSink());

describe("DynamoMetricsSink on dynalite (DynamoDB specifics)", () => {
  it("adds every point to its daily aggregate with atomic counters, per dimensions", async () => {
    const now = new Date("2026-11-25T12:00:00.000Z");
    const { sink, close } = await freshSink(() => now);
    try {
      const at = (hour: number) => new Date(`2026-11-25T${String(hour).padStart(2, "0")}:00:00.000Z`);
      await sink.record([
        { name: "tickets", value: 2, timestamp: at(1), dimensions: { priority: "High" } },
        { name: "tickets", value: 3, timestamp: at(2), dimensions: { priority: "High" } },
        { name: "tickets", value: 1, timestamp: at(3) },
      ]);
      // Two writers adding to the same counters at once: ADD is atomic on the server.
      await Promise.all([
        sink.record([{ name: "tickets", value: 5, timestamp: at(4), dimensions: { priority: "High" } }]),
        sink.record([{ name: "tickets", value: 7, timestamp: at(5), dimensions: { priority: "High" } }]),
      ]);
      const daily = await sink.daily("tickets", "2026-11-01");
      const byDimensions = Object.fromEntries(daily.map((d) => [JSON.stringify(d.dimensions), [d.sum, d.count]]));
      expect(byDimensions).toEqual({ '{"priority":"High"}': [17, 4], "{}": [1, 1] });
    } finally {
      await close();
    }
  });
});
