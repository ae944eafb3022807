import { z } from "zod";

/** Model calls, tokens and cost recorded by the Claude crew (`status`, the dashboard, the operator API). */
export const ModelUsageJson = z.object({
  calls: z.number().int(),
  items: z.number().int(),
  tokensIn: z.number(),
  tokensOut: z.number(),
  costUsd: z.number(),
  costPerItemUsd: z.number(),
  byModel: z.record(z.string(), z.object({ tokensIn: z.number(), tokensOut: z.number(), costUsd: z.number() })),
});
export type ModelUsageJson = z.infer<typeof ModelUsageJson>;

/** The hybrid crew's routing, as `status --json` and the dashboard's operations page show it. */
export const CrewRoutingJson = z.object({
  items: z.number().int(),
  offline: z.number().int(),
  claude: z.number().int(),
  claudeUnavailable: z.number().int(),
  claudeShare: z.number(),
  claudeTokensIn: z.number(),
  claudeTokensOut: z.number(),
  claudeCostUsd: z.number(),
  costPer1000ItemsUsd: z.number(),
});
export type CrewRoutingJson = z.infer<typeof CrewRoutingJson>;
