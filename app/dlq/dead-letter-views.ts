import { z } from "zod";

/** A dead letter as operators see it, and what a replay moved. */
export const DeadLetterView = z.object({
  messageId: z.string(),
  receiveCount: z.number().int(),
  sentAt: z.string(),
  deadLetteredAt: z.string().nullable(),
  lastError: z.string().nullable(),
  sourceQueue: z.string().nullable(),
  sourceType: z.string().nullable(),
  sourceId: z.string().nullable(),
  preview: z.string().nullable(),
});
export const DeadLetterList = z.array(DeadLetterView);
export type DeadLetterView = z.infer<typeof DeadLetterView>;

/** One dead letter in full (`dlq show`): the view plus the whole message body and its attributes. */
export const DeadLetterDetail = DeadLetterView.extend({
  body: z.unknown(),
  attributes: z.record(z.string(), z.string()),
});
export type DeadLetterDetail = z.infer<typeof DeadLetterDetail>;

export const ReplayResult = z.object({
  dryRun: z.boolean(),
  moved: z.array(z.string()),
  notFound: z.array(z.string()),
});
