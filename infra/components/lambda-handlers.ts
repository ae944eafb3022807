import { INGESTION_HANDLER } from "./ingestion.js";
import { OPERATOR_HANDLER } from "./operator-api.js";
import { SOURCE_HANDLERS } from "./sources.js";
import { STORE_PULL_HANDLER } from "./store-pull.js";
import { TRACKER_EVENTS_HANDLER } from "./tracker-events.js";

/**
 * Every Lambda handler the stack bundles and deploys, by kind: the one list the program's options, the synth,
 * the cost model and the bundle test draw on, so a new Lambda cannot escape them. (The migration runner is
 * shipped as it is, see components/migration.ts.)
 */
export const LAMBDA_HANDLERS = {
  ingestion: INGESTION_HANDLER,
  ...SOURCE_HANDLERS,
  operator: OPERATOR_HANDLER,
  storePull: STORE_PULL_HANDLER,
  trackerEvents: TRACKER_EVENTS_HANDLER,
} as const;

export type LambdaKind = keyof typeof LAMBDA_HANDLERS;

/** One module standing in for every handler (tests, synth, cost model: the code does not change the graph). */
export function standInHandlers(entry: string): Record<LambdaKind, string> {
  return Object.fromEntries(Object.keys(LAMBDA_HANDLERS).map((kind) => [kind, entry])) as Record<LambdaKind, string>;
}
