import type { ProcessingLogEntry } from "../schemas/ticket.js";

/** One agent step as stored in a processing-log row's `steps` array. */
export interface StoredStep {
  agent: string;
  action: string;
  result: Record<string, unknown>;
  confidence: number | null;
  durationMs: number;
  tokensIn: number | null;
  tokensOut: number | null;
}

/** The stored form of a crew's log entry: every field present, its time left to the row. */
export function toStep(entry: ProcessingLogEntry): StoredStep {
  return {
    agent: entry.agent,
    action: entry.action,
    result: entry.result ?? {},
    confidence: entry.confidence ?? null,
    durationMs: entry.durationMs ?? 0,
    tokensIn: entry.tokensIn ?? null,
    tokensOut: entry.tokensOut ?? null,
  };
}

/** A row's steps as log entries, each stamped with the row's time (when the write happened). */
export function entriesOf(row: { steps: unknown; createdAt: Date }): ProcessingLogEntry[] {
  const steps = Array.isArray(row.steps) ? (row.steps as Partial<StoredStep>[]) : [];
  const createdAt = row.createdAt.toISOString();
  return steps.map((step) => ({
    agent: String(step.agent ?? ""),
    action: String(step.action ?? ""),
    result: step.result ?? {},
    confidence: step.confidence ?? null,
    durationMs: step.durationMs ?? 0,
    tokensIn: step.tokensIn ?? null,
    tokensOut: step.tokensOut ?? null,
    createdAt,
  }));
}

/** Rows with a model call: the predicate of the partial index processing_logs_model_calls_idx, verbatim. */
export const HAS_MODEL_CALL = `steps @? '$[*] ? (@.tokensIn != null || @.tokensOut != null)'`;

/** Rows with a router step: the predicate of the partial index processing_logs_router_idx, verbatim. */
export const HAS_ROUTER_STEP = `steps @> '[{"agent": "router"}]'`;
