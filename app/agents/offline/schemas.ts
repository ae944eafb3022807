import { z } from "zod";
import { Priority } from "../../../sdk/schemas/feedback.js";

/**
 * Output contracts of the crew's roles. The roles build typed values (our own code, not an edge); the crew
 * contract test holds them to these schemas, and the worker pipeline validates the crew's TriageResult.
 */

export const TriageCategory = z.enum(["Bug", "Feature Request", "Praise", "Complaint", "Spam"]);
export type TriageCategory = z.infer<typeof TriageCategory>;

export const ClassifierOutput = z.object({
  category: TriageCategory,
  confidence: z.number().min(0).max(1),
  decidedBy: z.string(),
  scores: z.object({
    bug: z.number(),
    featureRequest: z.number(),
    praise: z.number(),
    complaint: z.number(),
    spam: z.number(),
    /** Text-model probability of the chosen category. */
    textModel: z.number(),
  }),
  signals: z.array(z.string()),
});
export type ClassifierOutput = z.infer<typeof ClassifierOutput>;

export const Severity = z.enum(["critical", "high", "medium", "low"]);
export type Severity = z.infer<typeof Severity>;

export const BugAnalysis = z.object({
  severity: Severity.nullable(),
  severityReasons: z.array(z.string()),
  device: z.string().nullable(),
  os: z.string().nullable(),
  appVersion: z.string().nullable(),
  platform: z.string().nullable(),
  stepsToReproduce: z.array(z.string()),
  affectedFeature: z.string().nullable(),
  symptom: z.string().nullable(),
});
export type BugAnalysis = z.infer<typeof BugAnalysis>;

export const FeatureAnalysis = z.object({
  requestedCapability: z.string().nullable(),
  userImpact: z.string().nullable(),
  impactLevel: z.enum(["high", "normal"]),
  impactReasons: z.array(z.string()),
});
export type FeatureAnalysis = z.infer<typeof FeatureAnalysis>;

export const PriorityDecision = z.object({
  priority: Priority,
  matchedRule: z.string().nullable(),
  matchedKeyword: z.string().nullable(),
  contentPriority: Priority.nullable(),
  statedPriority: Priority.nullable(),
  reasons: z.array(z.string()),
});
export type PriorityDecision = z.infer<typeof PriorityDecision>;

export const TicketDraft = z.object({
  title: z.string().min(5).max(80),
  description: z.string().min(1),
  titleFromFallback: z.boolean(),
});
export type TicketDraft = z.infer<typeof TicketDraft>;

export const QualityReview = z.object({
  score: z.number().int().min(1).max(10),
  reasons: z.array(z.string()),
  passed: z.boolean(),
});
export type QualityReview = z.infer<typeof QualityReview>;
