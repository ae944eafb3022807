import { z } from "zod";

const count = z.number().int().nonnegative();

/** What approving or rejecting several tickets did: the dashboard's bulk action and `tickets approve|reject`. */
export const BulkResult = z.object({
  action: z.enum(["approve", "reject"]),
  matched: count,
  updated: count,
  failed: z.array(z.object({ id: z.string(), message: z.string() })),
  /** More tickets match than one action handles (BULK_LIMIT): run it again. */
  more: z.boolean(),
});
export type BulkResult = z.infer<typeof BulkResult>;
