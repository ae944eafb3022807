export interface MetricDatum {
  name: string;
  value: number;
  unit?: "Count" | "Milliseconds" | "Percent" | "None" | "Items/Second";
  dimensions?: Record<string, string>;
  timestamp?: Date;
}

export interface MetricPoint extends Required<Omit<MetricDatum, "dimensions">> {
  dimensions: Record<string, string>;
}

/** DynamoDB metrics/analytics in AWS; a Postgres table with the same 90-day expiry locally. */
export interface MetricsSink {
  record(data: readonly MetricDatum[]): Promise<void>;
  query(name: string, options?: { since?: Date; limit?: number }): Promise<MetricPoint[]>;
}
