import type { SqlExecutor } from "../db/sql.js";
import { ValidationError } from "../errors.js";
import type { MetricDatum, MetricPoint, MetricsSink } from "../ports/metrics.js";

/** Like the DynamoDB table's TTL in AWS. */
export const METRIC_RETENTION_DAYS = 90;
const DEFAULT_QUERY_LIMIT = 1_000;
const UNITS = new Set(["Count", "Milliseconds", "Percent", "None", "Items/Second"]);

interface MetricRow {
  name: string;
  value: number;
  unit: MetricPoint["unit"];
  dimensions: Record<string, string>;
  recorded_at: Date;
}

/**
 * MetricsSink over the `metrics` table. Each point expires `retentionDays` after its timestamp; queries
 * leave expired points out (as DynamoDB's TTL would have deleted them) and `purgeExpired()` deletes them.
 */
export class LocalMetricsSink implements MetricsSink {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly retentionDays: number = METRIC_RETENTION_DAYS,
  ) {
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new ValidationError(`retentionDays must be a positive integer, got ${retentionDays}`);
    }
  }

  /** All data in one INSERT; a datum without a timestamp is recorded at the database's now(). */
  async record(data: readonly MetricDatum[]): Promise<void> {
    if (data.length === 0) return;
    const rows = data.map((datum, index) => toRow(datum, index));
    await this.sql.query(
      `INSERT INTO metrics (name, value, unit, dimensions, recorded_at, expires_at)
       SELECT t.name, t.value, t.unit, t.dimensions, COALESCE(t.recorded_at, now()),
              COALESCE(t.recorded_at, now()) + make_interval(days => $2)
       FROM json_to_recordset($1::text::json)
         AS t(name text, value float8, unit text, dimensions jsonb, recorded_at timestamptz)`,
      [JSON.stringify(rows), this.retentionDays],
    );
  }

  /** The latest `limit` unexpired points of `name` (default 1,000) since `since`, oldest first. */
  async query(name: string, options: { since?: Date; limit?: number } = {}): Promise<MetricPoint[]> {
    const limit = options.limit ?? DEFAULT_QUERY_LIMIT;
    if (!Number.isInteger(limit) || limit < 1)
      throw new ValidationError(`limit must be a positive integer, got ${limit}`);
    const { rows } = await this.sql.query<MetricRow>(
      `SELECT name, value, unit, dimensions, recorded_at FROM (
         SELECT id, name, value, unit, dimensions, recorded_at FROM metrics
         WHERE name = $1 AND expires_at > now() AND ($2::timestamptz IS NULL OR recorded_at >= $2::timestamptz)
         ORDER BY recorded_at DESC, id DESC
         LIMIT $3
       ) latest ORDER BY recorded_at, id`,
      [name, options.since?.toISOString() ?? null, limit],
    );
    return rows.map((row) => ({
      name: row.name,
      value: row.value,
      unit: row.unit,
      dimensions: row.dimensions ?? {},
      timestamp: row.recorded_at,
    }));
  }

  /** Deletes expired points; returns how many. */
  async purgeExpired(): Promise<number> {
    const { affectedRows } = await this.sql.query(`DELETE FROM metrics WHERE expires_at <= now()`);
    return affectedRows;
  }
}

function toRow(datum: MetricDatum, index: number) {
  const problems: string[] = [];
  if (typeof datum.name !== "string" || datum.name.length === 0) problems.push("name must be a non-empty string");
  if (typeof datum.value !== "number" || !Number.isFinite(datum.value)) problems.push("value must be a finite number");
  const unit = datum.unit ?? "Count";
  if (!UNITS.has(unit)) problems.push(`unit must be one of ${[...UNITS].join(", ")}`);
  const dimensions = datum.dimensions ?? {};
  if (Object.values(dimensions).some((value) => typeof value !== "string")) {
    problems.push("dimension values must be strings");
  }
  const timestamp = datum.timestamp;
  if (timestamp !== undefined && !(timestamp instanceof Date && !Number.isNaN(timestamp.getTime()))) {
    problems.push("timestamp must be a valid Date");
  }
  if (problems.length > 0) throw new ValidationError(`Metric ${index} (${String(datum.name)}): ${problems.join("; ")}`);
  return { name: datum.name, value: datum.value, unit, dimensions, recorded_at: timestamp?.toISOString() ?? null };
}
