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
