import { z } from "zod";

export const ClassMetrics = z.object({
  label: z.string(),
  precision: z.number().min(0).max(1),
  recall: z.number().min(0).max(1),
  f1: z.number().min(0).max(1),
  support: z.number().int(),
});
export type ClassMetrics = z.infer<typeof ClassMetrics>;

export const ConfusionMatrix = z.object({
  /** Row = expected label, column = predicted label, both in `labels` order. */
  labels: z.array(z.string()),
  matrix: z.array(z.array(z.number().int())),
});
export type ConfusionMatrix = z.infer<typeof ConfusionMatrix>;

/** What `feedback-cli eval --json` prints and the dashboard's Quality page shows. */
export const EvaluationReport = z.object({
  agents: z.string(),
  evaluated: z.number().int(),
  categoryAccuracy: z.number().min(0).max(1),
  priorityAccuracy: z.number().min(0).max(1),
  bothCorrectAccuracy: z.number().min(0).max(1),
  perCategory: z.array(ClassMetrics),
  perPriority: z.array(ClassMetrics),
  categoryConfusion: ConfusionMatrix,
  priorityConfusion: ConfusionMatrix,
  itemsPerSecond: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
  /** Labelled ids with no matching item in the source files. */
  missing: z.array(z.string()),
  /** Items in the source files with no label (not scored). */
  unlabelled: z.number().int(),
  mistakes: z.array(
    z.object({
      id: z.string(),
      expected: z.object({ category: z.string(), priority: z.string() }),
      predicted: z.object({ category: z.string(), priority: z.string(), confidence: z.number() }),
    }),
  ),
});
export type EvaluationReport = z.infer<typeof EvaluationReport>;

export const ReliabilityBucket = z.object({
  /** Confidence bucket [from, to); the last bucket includes its top. */
  from: z.number(),
  to: z.number(),
  n: z.number().int(),
  meanConfidence: z.number().min(0).max(1),
  /** Observed accuracy of the items in the bucket. */
  accuracy: z.number().min(0).max(1),
});
export type ReliabilityBucket = z.infer<typeof ReliabilityBucket>;

/** What `feedback-cli eval --json` prints for a plain labelled file (id, text, label, optional rating). */
export const PlainEvaluationReport = z.object({
  agents: z.string(),
  evaluated: z.number().int(),
  /** "coarse": compared as bug / feature / other (any coarse label in the file); "category": as our five categories. */
  comparedAs: z.enum(["coarse", "category"]),
  accuracy: z.number().min(0).max(1),
  perClass: z.array(ClassMetrics),
  confusion: ConfusionMatrix,
  reliability: z.array(ReliabilityBucket),
  /** Items with confidence >= 0.9 and how often they were right. */
  confident: z.object({ threshold: z.number(), n: z.number().int(), accuracy: z.number().min(0).max(1) }),
  /** Items the crew sent to needs_review and how often those were right (lower is better: review catches mistakes). */
  needsReview: z.object({ n: z.number().int(), accuracy: z.number().min(0).max(1) }),
  /** Over the rows that give a priority; null when none does. */
  priorityAccuracy: z.number().min(0).max(1).nullable(),
  priorityEvaluated: z.number().int(),
  itemsPerSecond: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
  mistakes: z.array(z.object({ id: z.string(), expected: z.string(), predicted: z.string(), confidence: z.number() })),
});
export type PlainEvaluationReport = z.infer<typeof PlainEvaluationReport>;
