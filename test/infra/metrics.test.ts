import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Metrics, TTL_ATTRIBUTE } from "../../infra/components/metrics.js";
import { DynamoFailureLog } from "../../sdk/aws/failure-log.js";
import { DynamoMetricsSink, TTL_ATTRIBUTE as SDK_TTL_ATTRIBUTE } from "../../sdk/aws/metrics.js";
import {
  destroyAwsClients,
  EMULATOR_REGION,
  emulatedClients,
  startDynaliteEmulator,
} from "../support/aws-emulators.js";
import { type RecordedResource, type Recording, recordProgram } from "./support/harness.js";

describe("metrics tables", () => {
  let r: Recording;
  beforeAll(async () => {
    r = await recordProgram(() => new Metrics("feedback-metrics"));
  });
  const tables = () => r.ofType("aws:dynamodb/table:Table");

  it("creates the metrics and analytics tables on demand", () => {
    expect(
      tables()
        .map((t) => t.name)
        .sort(),
    ).toEqual(["feedback-metrics-analytics", "feedback-metrics-metrics"]);
    expect(tables().every((t) => t.inputs.billingMode === "PAY_PER_REQUEST")).toBe(true);
  });

  it("expires items through a TTL attribute", () => {
    expect(tables().every((t) => t.inputs.ttl.enabled && t.inputs.ttl.attributeName === "expiresAt")).toBe(true);
    expect(TTL_ATTRIBUTE).toBe(SDK_TTL_ATTRIBUTE);
  });

  it("keeps point-in-time recovery and KMS encryption on", () => {
    expect(tables().every((t) => t.inputs.pointInTimeRecovery.enabled === true)).toBe(true);
    expect(tables().every((t) => t.inputs.serverSideEncryption.enabled === true)).toBe(true);
  });

  it("keys both tables by the SDK's generic pk/sk strings", () => {
    for (const table of tables()) expect([table.inputs.hashKey, table.inputs.rangeKey]).toEqual(["pk", "sk"]);
  });

  it("declares no secondary index: every read the SDK makes is by pk", () => {
    for (const table of tables()) expect(table.inputs.globalSecondaryIndexes ?? [], table.name).toEqual([]);
  });

  it("declares exactly the key attributes its keys and indexes use", () => {
    const attributes = r.named("feedback-metrics-analytics").inputs.attributes.map((a: { name: string }) => a.name);
    expect(attributes.sort()).toEqual(["pk", "sk"]);
  });
});

/** The table as DynamoDB creates it from what the program declares (keys, attributes, indexes). */
function createTableInput(table: RecordedResource, name: string) {
  const inputs = table.inputs as {
    hashKey: string;
    rangeKey: string;
    attributes: { name: string; type: "S" | "N" }[];
    globalSecondaryIndexes?: { name: string; hashKey: string; rangeKey: string; projectionType: "ALL" }[];
  };
  const keys = (hash: string, range: string) => [
    { AttributeName: hash, KeyType: "HASH" as const },
    { AttributeName: range, KeyType: "RANGE" as const },
  ];
  const indexes = inputs.globalSecondaryIndexes ?? [];
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST" as const,
    AttributeDefinitions: inputs.attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: keys(inputs.hashKey, inputs.rangeKey),
    ...(indexes.length > 0
      ? {
          GlobalSecondaryIndexes: indexes.map((i) => ({
            IndexName: i.name,
            KeySchema: keys(i.hashKey, i.rangeKey),
            Projection: { ProjectionType: i.projectionType },
          })),
        }
      : {}),
  };
}

/**
 * The declared tables on dynalite (DynamoDB's wire protocol, in memory), created from the recorded inputs: the SDK's
 * writers and every read it makes (a metric's points and daily aggregates, a message's failures) work on them.
 */
describe("metrics tables as declared, with data (dynalite)", () => {
  let r: Recording;
  let dynalite: Awaited<ReturnType<typeof startDynaliteEmulator>>;
  const clients = () => emulatedClients();
  beforeAll(async () => {
    r = await recordProgram(() => new Metrics("feedback-metrics"));
    dynalite = await startDynaliteEmulator();
    const client = new DynamoDBClient({ region: EMULATOR_REGION });
    try {
      for (const table of r.ofType("aws:dynamodb/table:Table"))
        await client.send(new CreateTableCommand(createTableInput(table, table.name)));
    } finally {
      client.destroy();
    }
  });
  afterAll(async () => dynalite?.close());

  it("stores points and daily aggregates, and reads both back by metric", async () => {
    const aws = clients();
    try {
      const now = new Date("2026-12-07T12:00:00.000Z");
      const sink = new DynamoMetricsSink(aws.dynamo, {
        metricsTable: "feedback-metrics-metrics",
        analyticsTable: "feedback-metrics-analytics",
        now: () => now,
      });
      await sink.record([
        { name: "items_processed", value: 3, timestamp: new Date("2026-12-06T10:00:00.000Z") },
        { name: "items_processed", value: 4, timestamp: new Date("2026-12-07T09:00:00.000Z") },
        { name: "items_processed", value: 5, timestamp: new Date("2026-12-07T11:00:00.000Z") },
        { name: "dlq_depth", value: 1, timestamp: new Date("2026-12-07T11:00:00.000Z") },
      ]);
      const points = await sink.query("items_processed", { since: new Date("2026-12-07T00:00:00.000Z") });
      expect(points.map((p) => p.value)).toEqual([4, 5]);
      const daily = await sink.daily("items_processed", "2026-12-01");
      expect(daily.map((d) => [d.day, d.sum, d.count])).toEqual([
        ["2026-12-06", 3, 1],
        ["2026-12-07", 9, 2],
      ]);
    } finally {
      destroyAwsClients(aws);
    }
  });

  it("keeps a dead-lettered message's last failure in the analytics table", async () => {
    const aws = clients();
    try {
      const log = new DynamoFailureLog(aws.dynamo, "feedback-metrics-analytics");
      const at = new Date("2026-12-07T11:30:00.000Z");
      await log.record({ queue: "work", messageId: "m-1", error: "model refused", receiveCount: 5, at });
      const found = await log.get("work", ["m-1", "m-2"]);
      expect([...found.keys()]).toEqual(["m-1"]);
      expect(found.get("m-1")).toMatchObject({ error: "model refused", receiveCount: 5 });
    } finally {
      destroyAwsClients(aws);
    }
  });
});
