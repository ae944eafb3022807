import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../names.js";

export interface MetricsArgs {
  /** Name of the epoch-seconds attribute DynamoDB expires items by (set to now + 90 days by the writers). */
  ttlAttribute?: string;
  deletionProtection?: boolean;
}

export const TTL_ATTRIBUTE = "expiresAt";
export const RETENTION_DAYS = 90;

type Key = { name: string; type: "S" | "N" };
interface TableShape {
  hashKey: Key;
  rangeKey: Key;
  indexes: { name: string; hashKey: Key; rangeKey: Key }[];
}

/**
 * metrics: one item per data point, read by name over a time range and, for the dashboard's daily view,
 * by day. analytics: one item per ticket outcome, read by category or priority over a time range.
 */
export const TABLES: Record<"metrics" | "analytics", TableShape> = {
  metrics: {
    hashKey: { name: "name", type: "S" },
    rangeKey: { name: "recordedAt", type: "S" },
    indexes: [{ name: "byDay", hashKey: { name: "day", type: "S" }, rangeKey: { name: "recordedAt", type: "S" } }],
  },
  analytics: {
    hashKey: { name: "ticketId", type: "S" },
    rangeKey: { name: "processedAt", type: "S" },
    indexes: [
      { name: "byCategory", hashKey: { name: "category", type: "S" }, rangeKey: { name: "processedAt", type: "S" } },
      { name: "byPriority", hashKey: { name: "priority", type: "S" }, rangeKey: { name: "processedAt", type: "S" } },
      { name: "bySource", hashKey: { name: "source", type: "S" }, rangeKey: { name: "processedAt", type: "S" } },
    ],
  },
};

/** The DynamoDB metrics and analytics tables: on demand, 90-day TTL, point-in-time recovery, KMS at rest. */
export class Metrics extends pulumi.ComponentResource {
  readonly metricsTable: aws.dynamodb.Table;
  readonly analyticsTable: aws.dynamodb.Table;

  constructor(name: string, args: MetricsArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:metrics:Metrics", name, {}, opts);
    this.metricsTable = this.table(childName(name, "metrics"), TABLES.metrics, args);
    this.analyticsTable = this.table(childName(name, "analytics"), TABLES.analytics, args);
    this.registerOutputs({ metricsTableName: this.metricsTable.name, analyticsTableName: this.analyticsTable.name });
  }

  private table(name: string, shape: TableShape, args: MetricsArgs): aws.dynamodb.Table {
    const keys = new Map<string, Key>();
    for (const key of [shape.hashKey, shape.rangeKey, ...shape.indexes.flatMap((i) => [i.hashKey, i.rangeKey])]) keys.set(key.name, key);
    return new aws.dynamodb.Table(
      name,
      {
        billingMode: "PAY_PER_REQUEST",
        hashKey: shape.hashKey.name,
        rangeKey: shape.rangeKey.name,
        attributes: [...keys.values()],
        globalSecondaryIndexes: shape.indexes.map((index) => ({
          name: index.name,
          hashKey: index.hashKey.name,
          rangeKey: index.rangeKey.name,
          projectionType: "ALL",
        })),
        ttl: { attributeName: args.ttlAttribute ?? TTL_ATTRIBUTE, enabled: true },
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: args.deletionProtection ?? false,
      },
      { parent: this },
    );
  }
}
