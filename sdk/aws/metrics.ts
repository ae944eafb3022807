import { randomBytes } from "node:crypto";
import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ThrottlingError, ValidationError } from "../errors.js";
import type { MetricDatum, MetricPoint, MetricsSink } from "../ports/metrics.js";
import { callAws } from "./errors.js";
import { type RetryPolicy, retryFailedEntries, retryPolicy } from "./retry.js";

/** Like the local metrics table: points expire 90 days after their timestamp (DynamoDB TTL). */
export const METRIC_RETENTION_DAYS = 90;
export const TTL_ATTRIBUTE = "expiresAt";
const BATCH_WRITE_MAX_ITEMS = 25;
const DEFAULT_QUERY_LIMIT = 1_000;
const COUNTER_CONCURRENCY = 8;
const UNITS = new Set(["Count", "Milliseconds", "Percent", "None", "Items/Second"]);

export interface DynamoMetricsSinkOptions {
  /** Raw points: pk = metric name, sk = `<ISO time>#<random>`, TTL attribute `expiresAt`. */
  metricsTable: string;
  /** Daily aggregates (atomic counters): pk = `daily#<name>`, sk = `<YYYY-MM-DD>#<dimensions>`. */
  analyticsTable: string;
  retentionDays?: number;
  retry?: Partial<RetryPolicy>;
  now?: () => Date;
}

export interface DailyAggregate {
  name: string;
  day: string;
  dimensions: Record<string, string>;
  unit: string;
  sum: number;
  count: number;
}

/**
 * MetricsSink on DynamoDB. `record` writes every point to the metrics table with BatchWriteItem
 * (25 per call; UnprocessedItems retried with backoff, ThrottlingError if some are still left) and adds
 * it to a daily aggregate in the analytics table with UpdateItem ADD (atomic counters: sum and count per
 * metric, day and dimensions). `query` reads the latest points of one metric, leaving out those past
 * their TTL that DynamoDB has not deleted yet (its TTL sweep can lag by days).
 */
export class DynamoMetricsSink implements MetricsSink {
  private readonly retry: RetryPolicy;
  private readonly retentionDays: number;
  private readonly now: () => Date;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly options: DynamoMetricsSinkOptions,
  ) {
    this.retry = retryPolicy(options.retry);
    this.retentionDays = options.retentionDays ?? METRIC_RETENTION_DAYS;
    this.now = options.now ?? (() => new Date());
    if (!Number.isInteger(this.retentionDays) || this.retentionDays < 1) {
      throw new ValidationError(`retentionDays must be a positive integer, got ${this.retentionDays}`);
    }
  }

  async record(data: readonly MetricDatum[]): Promise<void> {
    if (data.length === 0) return;
    const now = this.now();
    const points = data.map((datum, index) => validate(datum, index, now));
    const items = points.map((point) => ({
      pk: point.name,
      sk: `${point.timestamp.toISOString()}#${randomBytes(4).toString("hex")}`,
      name: point.name,
      value: point.value,
      unit: point.unit,
      dimensions: point.dimensions,
      timestamp: point.timestamp.toISOString(),
      [TTL_ATTRIBUTE]: this.expiry(point.timestamp),
    }));
    await this.batchWrite(this.options.metricsTable, items);
    await this.addToDailyAggregates(points);
  }

  /** The latest `limit` unexpired points of `name` (default 1,000) since `since`, oldest first. */
  async query(name: string, options: { since?: Date; limit?: number } = {}): Promise<MetricPoint[]> {
    const limit = options.limit ?? DEFAULT_QUERY_LIMIT;
    if (!Number.isInteger(limit) || limit < 1)
      throw new ValidationError(`limit must be a positive integer, got ${limit}`);
    const points: MetricPoint[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const response = await callAws(`DynamoDB Query on ${this.options.metricsTable}`, () =>
        this.documents.send(
          new QueryCommand({
            TableName: this.options.metricsTable,
            KeyConditionExpression: options.since ? "pk = :name AND sk >= :since" : "pk = :name",
            FilterExpression: `${TTL_ATTRIBUTE} > :now`,
            ExpressionAttributeValues: {
              ":name": name,
              ":now": Math.floor(this.now().getTime() / 1000),
              ...(options.since ? { ":since": options.since.toISOString() } : {}),
            },
            ScanIndexForward: false,
            Limit: Math.min(limit - points.length + 10, 1_000),
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of response.Items ?? []) {
        if (points.length >= limit) break;
        points.push({
          name: String(item.name ?? name),
          value: Number(item.value),
          unit: (item.unit ?? "Count") as MetricPoint["unit"],
          dimensions: (item.dimensions ?? {}) as Record<string, string>,
          timestamp: new Date(String(item.timestamp)),
        });
      }
      startKey = response.LastEvaluatedKey;
    } while (startKey && points.length < limit);
    return points.reverse();
  }

  /** Daily aggregates of `name` from `since` (a day, YYYY-MM-DD, or a date). */
  async daily(name: string, since: Date | string): Promise<DailyAggregate[]> {
    const fromDay = typeof since === "string" ? since : since.toISOString().slice(0, 10);
    const aggregates: DailyAggregate[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const response = await callAws(`DynamoDB Query on ${this.options.analyticsTable}`, () =>
        this.documents.send(
          new QueryCommand({
            TableName: this.options.analyticsTable,
            KeyConditionExpression: "pk = :pk AND sk >= :from",
            ExpressionAttributeValues: { ":pk": `daily#${name}`, ":from": fromDay },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of response.Items ?? []) {
        aggregates.push({
          name,
          day: String(item.day),
          dimensions: (item.dimensions ?? {}) as Record<string, string>,
          unit: String(item.unit ?? "Count"),
          sum: Number(item.sum ?? 0),
          count: Number(item.count ?? 0),
        });
      }
      startKey = response.LastEvaluatedKey;
    } while (startKey);
    return aggregates;
  }

  private expiry(timestamp: Date): number {
    return Math.floor(timestamp.getTime() / 1000) + this.retentionDays * 86_400;
  }

  private async batchWrite(table: string, items: readonly Record<string, unknown>[]): Promise<void> {
    for (let start = 0; start < items.length; start += BATCH_WRITE_MAX_ITEMS) {
      const requests = items.slice(start, start + BATCH_WRITE_MAX_ITEMS).map((Item) => ({ PutRequest: { Item } }));
      const left = await retryFailedEntries(this.retry, requests, async (batch) => {
        const response = await callAws(`DynamoDB BatchWriteItem on ${table}`, () =>
          this.documents.send(new BatchWriteCommand({ RequestItems: { [table]: [...batch] } })),
        );
        return (response.UnprocessedItems?.[table] ?? []) as typeof requests;
      });
      if (left.length > 0) {
        throw new ThrottlingError(
          `DynamoDB left ${left.length} of ${requests.length} metric item(s) unprocessed in ${table} after ${this.retry.maxAttempts} attempts`,
          { hint: "The table is over its throughput; raise its capacity (or use on-demand) and retry." },
        );
      }
    }
  }

  private async addToDailyAggregates(points: readonly ValidPoint[]): Promise<void> {
    const groups = new Map<
      string,
      { point: ValidPoint; day: string; dimensionsKey: string; sum: number; count: number }
    >();
    for (const point of points) {
      const day = point.timestamp.toISOString().slice(0, 10);
      const dimensionsKey = Object.entries(point.dimensions)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`)
        .join(",");
      const key = `${point.name}\n${day}\n${dimensionsKey}`;
      const group = groups.get(key);
      if (group) {
        group.sum += point.value;
        group.count += 1;
      } else {
        groups.set(key, { point, day, dimensionsKey, sum: point.value, count: 1 });
      }
    }
    const pending = [...groups.values()];
    const worker = async () => {
      for (let group = pending.shift(); group; group = pending.shift()) {
        const { point, day, dimensionsKey, sum, count } = group;
        await callAws(`DynamoDB UpdateItem on ${this.options.analyticsTable}`, () =>
          this.documents.send(
            new UpdateCommand({
              TableName: this.options.analyticsTable,
              Key: { pk: `daily#${point.name}`, sk: `${day}#${dimensionsKey}` },
              UpdateExpression:
                "ADD #sum :sum, #count :count SET #day = :day, #unit = :unit, #dimensions = :dimensions, #ttl = :ttl",
              ExpressionAttributeNames: {
                "#sum": "sum",
                "#count": "count",
                "#day": "day",
                "#unit": "unit",
                "#dimensions": "dimensions",
                "#ttl": TTL_ATTRIBUTE,
              },
              ExpressionAttributeValues: {
                ":sum": sum,
                ":count": count,
                ":day": day,
                ":unit": point.unit,
                ":dimensions": point.dimensions,
                ":ttl": this.expiry(new Date(`${day}T00:00:00.000Z`)),
              },
            }),
          ),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(COUNTER_CONCURRENCY, pending.length) }, worker));
  }
}

interface ValidPoint {
  name: string;
  value: number;
  unit: MetricPoint["unit"];
  dimensions: Record<string, string>;
  timestamp: Date;
}

function validate(datum: MetricDatum, index: number, now: Date): ValidPoint {
  const problems: string[] = [];
  if (typeof datum.name !== "string" || datum.name.length === 0) problems.push("name must be a non-empty string");
  if (typeof datum.value !== "number" || !Number.isFinite(datum.value)) problems.push("value must be a finite number");
  const unit = datum.unit ?? "Count";
  if (!UNITS.has(unit)) problems.push(`unit must be one of ${[...UNITS].join(", ")}`);
  const dimensions = datum.dimensions ?? {};
  if (Object.values(dimensions).some((value) => typeof value !== "string"))
    problems.push("dimension values must be strings");
  const timestamp = datum.timestamp;
  if (timestamp !== undefined && !(timestamp instanceof Date && !Number.isNaN(timestamp.getTime()))) {
    problems.push("timestamp must be a valid Date");
  }
  if (problems.length > 0) throw new ValidationError(`Metric ${index} (${String(datum.name)}): ${problems.join("; ")}`);
  return { name: datum.name, value: datum.value, unit, dimensions, timestamp: timestamp ?? now };
}
