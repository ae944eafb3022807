import type { TriageAgents, TriageConfiguration, TriageResult } from "../ports/agents.js";
import type { EvaluationReport } from "../schemas/evaluation.js";
import { CATEGORIES, type FeedbackItem, PRIORITIES } from "../schemas/feedback.js";
import type { ExpectedLabel } from "./expected-labels.js";
import { accuracy, confusionMatrix, perClassMetrics } from "./metrics.js";

const BATCH = 100;

/**
 * Runs the crew on the items and compares with the labels (matched on source id). The computation
 * behind `feedback-cli eval` and the dashboard's Quality page.
 */
export async function evaluateAgents(
  agents: TriageAgents,
  config: TriageConfiguration,
  items: readonly FeedbackItem[],
  labels: readonly ExpectedLabel[],
): Promise<EvaluationReport> {
  const byId = new Map(labels.map((l) => [l.id, l]));
  const labelled = items.filter((item) => byId.has(item.sourceId));
  const started = performance.now();
  const predictions: TriageResult[] = [];
  for (let i = 0; i < labelled.length; i += BATCH) {
    predictions.push(...(await agents.triage(labelled.slice(i, i + BATCH), config)));
  }
  const durationMs = performance.now() - started;
  const scored = labelled.map((item, i) => ({
    id: item.sourceId,
    expected: byId.get(item.sourceId)!,
    predicted: predictions[i]!,
  }));
  const categories = scored.map((s) => ({ expected: s.expected.category, predicted: s.predicted.category }));
  const priorities = scored.map((s) => ({ expected: s.expected.priority, predicted: s.predicted.priority }));
  const seen = new Set(labelled.map((i) => i.sourceId));
  return {
    agents: agents.name,
    evaluated: scored.length,
    categoryAccuracy: accuracy(categories),
    priorityAccuracy: accuracy(priorities),
    bothCorrectAccuracy: scored.length
      ? scored.filter(
          (s) => s.expected.category === s.predicted.category && s.expected.priority === s.predicted.priority,
        ).length / scored.length
      : 0,
    perCategory: perClassMetrics(categories, CATEGORIES),
    perPriority: perClassMetrics(priorities, PRIORITIES),
    categoryConfusion: confusionMatrix(categories, CATEGORIES),
    priorityConfusion: confusionMatrix(priorities, PRIORITIES),
    itemsPerSecond: durationMs > 0 ? (scored.length / durationMs) * 1000 : 0,
    durationMs,
    missing: labels.filter((l) => !seen.has(l.id)).map((l) => l.id),
    unlabelled: items.length - labelled.length,
    mistakes: scored
      .filter((s) => s.expected.category !== s.predicted.category || s.expected.priority !== s.predicted.priority)
      .map((s) => ({
        id: s.id,
        expected: { category: s.expected.category, priority: s.expected.priority },
        predicted: {
          category: s.predicted.category,
          priority: s.predicted.priority,
          confidence: s.predicted.confidence,
        },
      })),
  };
}
