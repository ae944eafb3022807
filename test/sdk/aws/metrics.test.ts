import { DynamoDBClient, DynamoDBServiceException } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, type BatchWriteCommandInput, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { createDocumentClient } from "../../../sdk/aws/clients.js";
import { DynamoMetricsSink } from "../../../sdk/aws/metrics.js";
import { ThrottlingError, ValidationError } from "../../../sdk/errors.js";

const documents = createDocumentClient(
  new DynamoDBClient({ region: "eu-west-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } }),
);
const mock = mockClient(documents);
afterEach(() => mock.reset());

const NOW = new Date("2026-11-25T12:00:00.000Z");
const sink = (maxAttempts = 4) =>
  new DynamoMetricsSink(documents, {
    metricsTable: "metrics",
    analyticsTable: "analytics",
    now: () => NOW,
    retry: { maxAttempts, baseDelayMs: 0, sleep: async () => undefined },
  });

describe("DynamoMetricsSink", () => {
  it("writes points in BatchWriteItem chunks of 25 with a 90-day TTL, and adds daily counters with UpdateItem ADD", async () => {
    mock.on(BatchWriteCommand).resolves({});
    mock.on(UpdateCommand).resolves({});
    const data = Array.from({ length: 30 }, (_, i) => ({
      name: "tickets_created",
      value: 1 + (i % 2),
      dimensions: { priority: i % 2 ? "High" : "Low" },
    }));
    await sink().record(data);
    const writes = mock.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.metrics ?? []);
    expect(writes.map((w) => w.length)).toEqual([25, 5]);
    const item = writes[0]![0]!.PutRequest!.Item!;
    expect(item).toMatchObject({
      pk: "tickets_created",
      name: "tickets_created",
      value: 1,
      unit: "Count",
      timestamp: NOW.toISOString(),
    });
    expect(item.sk).toMatch(/^2026-11-25T12:00:00\.000Z#[0-9a-f]{8}$/);
    expect(item.expiresAt).toBe(NOW.getTime() / 1000 + 90 * 86_400);

    const updates = mock.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(updates).toHaveLength(2);
    const high = updates.find((u) => u.Key?.sk === "2026-11-25#priority=High")!;
    expect(high.Key).toEqual({ pk: "daily#tickets_created", sk: "2026-11-25#priority=High" });
    expect(high.UpdateExpression).toMatch(/^ADD #sum :sum, #count :count/);
    expect(high.ExpressionAttributeValues).toMatchObject({ ":sum": 30, ":count": 15, ":day": "2026-11-25" });
  });

  it("retries UnprocessedItems until they are written", async () => {
    let call = 0;
    mock.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => {
      call++;
      const requests = input.RequestItems?.metrics ?? [];
      return call === 1 ? { UnprocessedItems: { metrics: requests.slice(0, 2) } } : {};
    });
    mock.on(UpdateCommand).resolves({});
    await sink().record([
      { name: "a", value: 1 },
      { name: "b", value: 2 },
      { name: "c", value: 3 },
    ]);
    const batches = mock
      .commandCalls(BatchWriteCommand)
      .map((c) => (c.args[0].input.RequestItems?.metrics ?? []).map((r) => r.PutRequest?.Item?.name));
    expect(batches).toEqual([
      ["a", "b", "c"],
      ["a", "b"],
    ]);
  });

  it("throws ThrottlingError when items stay unprocessed, and when DynamoDB throttles the call", async () => {
    mock.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => ({ UnprocessedItems: input.RequestItems }));
    await expect(sink(3).record([{ name: "a", value: 1 }])).rejects.toBeInstanceOf(ThrottlingError);
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(3);
    mock.reset();
    mock.on(BatchWriteCommand).rejects(
      new DynamoDBServiceException({
        name: "ProvisionedThroughputExceededException",
        message: "slow",
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(sink().record([{ name: "a", value: 1 }])).rejects.toBeInstanceOf(ThrottlingError);
  });

  it("validates data like the local sink", async () => {
    await expect(sink().record([{ name: "", value: Number.NaN }])).rejects.toBeInstanceOf(ValidationError);
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });

  it("queries the latest unexpired points, oldest first, following pages", async () => {
    const item = (minute: number) => ({
      name: "lat",
      value: minute,
      unit: "Milliseconds",
      dimensions: {},
      timestamp: `2026-11-25T11:${String(minute).padStart(2, "0")}:00.000Z`,
    });
    mock
      .on(QueryCommand)
      .resolvesOnce({ Items: [item(59), item(58)], LastEvaluatedKey: { pk: "lat", sk: "x" } })
      .resolvesOnce({ Items: [item(57), item(56)] });
    const points = await sink().query("lat", { since: new Date("2026-11-25T11:00:00Z"), limit: 3 });
    expect(points.map((p) => p.value)).toEqual([57, 58, 59]);
    const first = mock.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(first).toMatchObject({
      TableName: "metrics",
      KeyConditionExpression: "pk = :name AND sk >= :since",
      FilterExpression: "expiresAt > :now",
      ScanIndexForward: false,
    });
    expect(first.ExpressionAttributeValues).toMatchObject({
      ":name": "lat",
      ":since": "2026-11-25T11:00:00.000Z",
      ":now": NOW.getTime() / 1000,
    });
  });

  it("reads daily aggregates back", async () => {
    mock.on(QueryCommand).resolves({
      Items: [{ pk: "daily#x", sk: "2026-11-25#", day: "2026-11-25", sum: 7, count: 3, unit: "Count", dimensions: {} }],
    });
    expect(await sink().daily("x", "2026-11-01")).toEqual([
      { name: "x", day: "2026-11-25", dimensions: {}, unit: "Count", sum: 7, count: 3 },
    ]);
  });
});
