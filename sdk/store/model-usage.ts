import type { SqlExecutor } from "../db/sql.js";
import type { CrewRouting, ModelUsage } from "../ports/ticket-insights.js";

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

/**
 * The hybrid crew's split, from each item's latest `router` entry (a re-triaged item counts once, as last
 * routed), and the tokens and cost the Claude crew recorded for the items it decided.
 */
export async function crewRouting(sql: SqlExecutor): Promise<CrewRouting> {
  const { rows } = await sql.query<{
    items: number;
    offline: number;
    claude: number;
    unavailable: number;
    tokens_in: number;
    tokens_out: number;
    cost: number;
  }>(
    `WITH routed AS (
       SELECT DISTINCT ON (source_type, source_id) source_type, source_id, result
       FROM processing_logs
       WHERE agent = 'router'
       ORDER BY source_type, source_id, id DESC
     ),
     spent AS (
       SELECT l.tokens_in, l.tokens_out,
              CASE WHEN jsonb_typeof(l.result->'costUsd') = 'number' THEN (l.result->>'costUsd')::float8 END AS cost
       FROM routed r
       CROSS JOIN LATERAL (
         SELECT tokens_in, tokens_out, result FROM processing_logs
         WHERE source_type = r.source_type AND source_id = r.source_id
           AND (tokens_in IS NOT NULL OR tokens_out IS NOT NULL)
       ) l
       WHERE r.result->>'path' = 'claude'
     )
     SELECT (SELECT count(*) FROM routed)::int AS items,
            (SELECT count(*) FROM routed WHERE result->>'path' = 'offline'
               AND coalesce(result->>'claudeUnavailable', 'false') <> 'true')::int AS offline,
            (SELECT count(*) FROM routed WHERE result->>'path' = 'claude')::int AS claude,
            (SELECT count(*) FROM routed WHERE result->>'claudeUnavailable' = 'true')::int AS unavailable,
            (SELECT coalesce(sum(tokens_in), 0) FROM spent)::float8 AS tokens_in,
            (SELECT coalesce(sum(tokens_out), 0) FROM spent)::float8 AS tokens_out,
            (SELECT coalesce(sum(cost), 0) FROM spent)::float8 AS cost`,
  );
  const row = rows[0];
  const items = Number(row?.items ?? 0);
  const claude = Number(row?.claude ?? 0);
  const claudeUnavailable = Number(row?.unavailable ?? 0);
  const claudeCostUsd = Number(row?.cost ?? 0);
  return {
    items,
    offline: Number(row?.offline ?? 0),
    claude,
    claudeUnavailable,
    claudeShare: items ? (claude + claudeUnavailable) / items : 0,
    claudeTokensIn: Number(row?.tokens_in ?? 0),
    claudeTokensOut: Number(row?.tokens_out ?? 0),
    claudeCostUsd,
    costPer1000ItemsUsd: items ? (claudeCostUsd / items) * 1000 : 0,
  };
}
