import { z } from "zod";

export const SOURCE_TYPES = ["app_store_review", "email", "webhook"] as const;
export const SourceType = z.enum(SOURCE_TYPES);
export type SourceType = z.infer<typeof SourceType>;

export const CATEGORIES = ["Bug", "Feature Request", "Praise", "Complaint", "Spam", "Failed"] as const;
export const Category = z.enum(CATEGORIES);
export type Category = z.infer<typeof Category>;

export const PRIORITIES = ["Critical", "High", "Medium", "Low"] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;

/** Upper bound on the text of one item: longer text is rejected at ingestion rather than truncated. */
export const MAX_TEXT_CHARS = 20_000;

/**
 * The standard feedback item every source is normalised to, whatever its file layout or webhook shape.
 * `sourceId` is the source's own id, or `sha256:<content hash>` where the source gives none.
 */
export const FeedbackItem = z.object({
  sourceType: SourceType,
  sourceId: z.string().min(1).max(200),
  channel: z.string().max(100).nullable().default(null),
  text: z.string().trim().min(1).max(MAX_TEXT_CHARS),
  subject: z.string().max(1000).nullable().default(null),
  author: z.string().max(320).nullable().default(null),
  rating: z.number().int().min(1).max(5).nullable().default(null),
  statedPriority: z.string().max(40).nullable().default(null),
  appVersion: z.string().max(80).nullable().default(null),
  device: z.string().max(200).nullable().default(null),
  platform: z.string().max(80).nullable().default(null),
  language: z.string().max(40).nullable().default(null),
  submittedAt: z.iso.datetime({ offset: true }).nullable().default(null),
  metadata: z.record(z.string(), z.unknown()).default({}),
  contentHash: z.string().regex(/^[a-f0-9]{64}$/),
});
export type FeedbackItem = z.infer<typeof FeedbackItem>;
export type FeedbackItemInput = z.input<typeof FeedbackItem>;
