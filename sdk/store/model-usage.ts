import type { SqlExecutor } from "../db/sql.js";
import type { CrewRouting, ModelUsage } from "../ports/ticket-insights.js";
import { HAS_MODEL_CALL, HAS_ROUTER_STEP } from "./processing-log.js";

/** A step `s` of a row's steps that called a model (the row-level filter is HAS_MODEL_CALL). */
const STEP_CALLS_MODEL = `(jsonb_typeof(s->'tokensIn') = 'number' OR jsonb_typeof(s->'tokensOut') = 'number')`;
const COST_OF_STEP = `CASE WHEN jsonb_typeof(s->'result'->'costUsd') = 'number' THEN (s->'result'->>'costUsd')::float8 END`;

/** Token usage and cost recorded in the steps of `processing_logs` (the Claude crew writes model and costUsd). */
export async function modelUsage(sql: SqlExecutor): Promise<ModelUsage> {
  const { rows } = await sql.query<{
    model: string;
    calls: number;
    items: number;
    tokens_in: number;
    tokens_out: number;
    cost: number;
  }>(
    `SELECT coalesce(s->'result'->>'model', 'unknown') AS model,
            count(*)::int AS calls,
            count(DISTINCT (l.source_type, l.source_id))::int AS items,
            coalesce(sum((s->>'tokensIn')::float8), 0)::float8 AS tokens_in,
            coalesce(sum((s->>'tokensOut')::float8), 0)::float8 AS tokens_out,
            coalesce(sum(${COST_OF_STEP}), 0)::float8 AS cost
     FROM processing_logs l CROSS JOIN LATERAL jsonb_array_elements(l.steps) s
     WHERE ${HAS_MODEL_CALL} AND ${STEP_CALLS_MODEL}
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
 * The hybrid crew's split, from each item's latest `router` step (a re-triaged item counts once, as last
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
       SELECT DISTINCT ON (source_type, source_id) source_type, source_id,
              jsonb_path_query_array(steps, '$[*] ? (@.agent == "router")') -> -1 -> 'result' AS result
       FROM processing_logs
       WHERE ${HAS_ROUTER_STEP}
       ORDER BY source_type, source_id, id DESC
     ),
     spent AS (
       SELECT (s->>'tokensIn')::float8 AS tokens_in, (s->>'tokensOut')::float8 AS tokens_out, ${COST_OF_STEP} AS cost
       FROM routed r
       JOIN processing_logs l ON l.source_type = r.source_type AND l.source_id = r.source_id AND ${HAS_MODEL_CALL}
       CROSS JOIN LATERAL jsonb_array_elements(l.steps) s
       WHERE r.result->>'path' = 'claude' AND ${STEP_CALLS_MODEL}
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
