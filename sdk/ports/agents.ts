import { z } from "zod";
import { TriageConfiguration } from "../schemas/configuration.js";
import { Category, type FeedbackItem, Priority } from "../schemas/feedback.js";
import { LanguageCode, ProcessingLogEntry, TechnicalDetails, TicketStatus } from "../schemas/ticket.js";

/** What the agent crew decides for one item; validated before it is written. */
export const TriageResult = z.object({
  category: Category,
  confidence: z.number().min(0).max(1),
  priority: Priority,
  title: z.string().min(5).max(200),
  description: z.string().min(1),
  technicalDetails: TechnicalDetails,
  status: TicketStatus,
  qualityScore: z.number().int().min(1).max(10).nullable(),
  reviewReasons: z.array(z.string()),
  /** The language the feedback is written in; null when undetermined, absent when the crew does not say. */
  language: LanguageCode.nullable().optional(),
  logs: z.array(ProcessingLogEntry),
});
export type TriageResult = z.infer<typeof TriageResult>;

/** The agent port: offline rules/model locally; hybrid (offline, then Claude for the unsure items) or Claude with a key. */
export interface TriageAgents {
  readonly name: string;
  triage(items: readonly FeedbackItem[], config: TriageConfiguration): Promise<TriageResult[]>;
  /** Releases what the crew holds beyond this call (a worker thread); whoever made the crew calls it when done. */
  close?(): Promise<void>;
}

export { TriageConfiguration };
