import { z } from "zod";
import { RuntimeConfigJson } from "../../sdk/config/runtime.js";
import { GroupingStatus } from "../../sdk/schemas/grouping.js";
import { CrewRoutingJson, ModelUsageJson } from "../../sdk/schemas/insights.js";

/** Backend, queue, DLQ, ticket counts and model usage at a glance. */
export const StatusReport = z.object({
  backend: z.object({ kind: z.string(), description: z.string() }),
  queue: z.object({
    name: z.string(),
    visible: z.number().int(),
    inFlight: z.number().int(),
    delayed: z.number().int(),
  }),
  dlq: z.object({ name: z.string(), depth: z.number().int() }),
  tickets: z.object({
    total: z.number().int(),
    byPriority: z.record(z.string(), z.number().int()),
    byCategory: z.record(z.string(), z.number().int()),
    byStatus: z.record(z.string(), z.number().int()),
  }),
  modelUsage: ModelUsageJson,
  /** The hybrid crew's split (offline / Claude) and Claude's cost for it; null when no item was routed. */
  routing: CrewRoutingJson.nullable(),
  /** The async grouping stage: on or off, its backlog and lag, pending merge suggestions. */
  grouping: GroupingStatus,
  /** The effective runtime configuration (environment, stack outputs, defaults, --data-dir); secrets as "***". */
  configuration: RuntimeConfigJson,
});
export type StatusReport = z.infer<typeof StatusReport>;
