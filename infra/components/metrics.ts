import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../names.js";

export interface MetricsArgs {
  /** Name of the epoch-seconds attribute DynamoDB expires items by (set to now + 90 days by the writers). */
  ttlAttribute?: string;
  deletionProtection?: boolean;
}

/** Same attribute as sdk/aws/metrics.ts: writers set it to the point's time + 90 days. */
export const TTL_ATTRIBUTE = "expiresAt";

type Key = { name: string; type: "S" | "N" };
export interface TableShape {
  hashKey: Key;
  rangeKey: Key;
}

const pk: Key = { name: "pk", type: "S" };
const sk: Key = { name: "sk", type: "S" };

/**
 * Keys as the SDK writes them (sdk/aws/metrics.ts, failure-log.ts, the webhook delivery store): generic
 * string `pk`/`sk`. metrics: pk = metric name, sk = time; analytics: daily aggregates, DLQ error records,
 * webhook deliveries. Every read the SDK makes is a Query on `pk` (a metric's points, a metric's daily
 * aggregates, a message's failures) or a GetItem, so there is no secondary index: an index nobody queries still
 * costs a write per item. (Two `byDay` indexes were dropped for that reason: raw points never carried `day`, and
 * no reader asked the analytics table for one day across metrics.)
 */
export const TABLES: Record<"metrics" | "analytics", TableShape> = {
  metrics: { hashKey: pk, rangeKey: sk },
  analytics: { hashKey: pk, rangeKey: sk },
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
    return new aws.dynamodb.Table(
      name,
      {
        billingMode: "PAY_PER_REQUEST",
        hashKey: shape.hashKey.name,
        rangeKey: shape.rangeKey.name,
        attributes: [shape.hashKey, shape.rangeKey],
        ttl: { attributeName: args.ttlAttribute ?? TTL_ATTRIBUTE, enabled: true },
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: args.deletionProtection ?? false,
      },
      { parent: this },
    );
  }
}
