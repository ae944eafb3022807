import type { SqlExecutor } from "../db/sql.js";
import type { ModelUsage } from "../ports/ticket-insights.js";

/** Token usage and cost recorded in `processing_logs` (the Claude crew writes model and costUsd per item). */
export async function modelUsage(sql: SqlExecutor): Promise<ModelUsage> {
  const { rows } = await sql.query<{
    model: string;
    calls: number;
    items: number;
    tokens_in: number;
    tokens_out: number;
    cost: number;
  }>(
    `SELECT coalesce(result->>'model', 'unknown') AS model,
            count(*)::int AS calls,
            count(DISTINCT (source_type, source_id))::int AS items,
            coalesce(sum(tokens_in), 0)::float8 AS tokens_in,
            coalesce(sum(tokens_out), 0)::float8 AS tokens_out,
            coalesce(sum(CASE WHEN jsonb_typeof(result->'costUsd') = 'number' THEN (result->>'costUsd')::float8 END), 0)::float8 AS cost
     FROM processing_logs
     WHERE tokens_in IS NOT NULL OR tokens_out IS NOT NULL
     GROUP BY 1`,
  );
  const usage: ModelUsage = {
    calls: 0,
    items: 0,
    tokensIn: 0,
    tokensOut: 0,
    costUsd: 0,
    costPerItemUsd: 0,
    byModel: {},
  };
  for (const row of rows) {
    usage.calls += Number(row.calls);
    usage.items += Number(row.items);
    usage.tokensIn += Number(row.tokens_in);
    usage.tokensOut += Number(row.tokens_out);
    usage.costUsd += Number(row.cost);
    usage.byModel[row.model] = {
      tokensIn: Number(row.tokens_in),
      tokensOut: Number(row.tokens_out),
      costUsd: Number(row.cost),
    };
  }
  usage.costPerItemUsd = usage.items ? usage.costUsd / usage.items : 0;
  return usage;
}
