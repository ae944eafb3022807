import { z } from "zod";
import { storableMetadata, storableText } from "./safe-text.js";

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
  sourceId: storableText().min(1).max(200),
  channel: storableText().max(100).nullable().default(null),
  text: storableText().trim().min(1).max(MAX_TEXT_CHARS),
  subject: storableText().max(1000).nullable().default(null),
  author: storableText().max(320).nullable().default(null),
  rating: z.number().int().min(1).max(5).nullable().default(null),
  statedPriority: storableText().max(40).nullable().default(null),
  appVersion: storableText().max(80).nullable().default(null),
  device: storableText().max(200).nullable().default(null),
  platform: storableText().max(80).nullable().default(null),
  language: storableText().max(40).nullable().default(null),
  /** The app the feedback is about: a store package name / app id, an `app` column, or the ingest's default. */
  app: storableText().max(200).nullable().default(null),
  /** When the feedback was written (the file's date, an e-mail's Date header, a webhook's created_at). */
  submittedAt: z.iso.datetime({ offset: true }).nullable().default(null),
  metadata: storableMetadata().default({}),
  contentHash: z.string().regex(/^[a-f0-9]{64}$/),
});
export type FeedbackItem = z.infer<typeof FeedbackItem>;
export type FeedbackItemInput = z.input<typeof FeedbackItem>;
