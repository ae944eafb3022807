import { z } from "zod";
import type { PullSummary } from "./pull-service.js";

const Counts = {
  enqueued: z.number().int().nonnegative(),
  revised: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
};

/** `feedback-cli pull --json` (and the scheduled pull's log line): per source, and in total. */
export const PullSummaryJson = z.object({
  sources: z.array(
    z.object({
      source: z.string(),
      pages: z.number().int().nonnegative(),
      ...Counts,
      complete: z.boolean(),
      error: z.object({ code: z.string(), message: z.string(), hint: z.string().nullable() }).nullable(),
    }),
  ),
  totals: z.object({ ...Counts, failed: z.number().int().nonnegative() }),
});
export type PullSummaryJson = z.infer<typeof PullSummaryJson>;

export function pullSummaryJson(summary: PullSummary): PullSummaryJson {
  return {
    sources: summary.sources.map(({ error, ...result }) => ({
      ...result,
      error: error ? { code: error.code, message: error.message, hint: error.hint ?? null } : null,
    })),
    totals: summary.totals,
  };
}
