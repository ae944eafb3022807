import type { TriageAgents, TriageConfiguration, TriageResult } from "../ports/agents.js";
import type { EvaluationReport, PlainEvaluationReport } from "../schemas/evaluation.js";
import { CATEGORIES, type FeedbackItem, PRIORITIES } from "../schemas/feedback.js";
import type { ExpectedLabel } from "./expected-labels.js";
import { accuracy, confusionMatrix, perClassMetrics, reliability } from "./metrics.js";
import { COARSE_LABELS, coarseLabelOf, type PlainLabel } from "./plain-labelled.js";

const BATCH = 100;

async function triageAll(
  agents: TriageAgents,
  config: TriageConfiguration,
  items: readonly FeedbackItem[],
): Promise<{ predictions: TriageResult[]; durationMs: number }> {
  const started = performance.now();
  const predictions: TriageResult[] = [];
  for (let i = 0; i < items.length; i += BATCH) {
    predictions.push(...(await agents.triage(items.slice(i, i + BATCH), config)));
  }
  return { predictions, durationMs: performance.now() - started };
}

const CONFIDENT = 0.9;
const categoryLabels = CATEGORIES.filter((c) => c !== "Failed");

/**
 * Runs the crew on the items of a plain labelled file (labels in the same order as the items). With any coarse
 * label (bug / feature / other) every row is compared on that decision: a Bug ticket is right for a bug report, a
 * Feature Request ticket for a feature request, any other category when the review is neither.
 */
export async function evaluatePlain(
  agents: TriageAgents,
  config: TriageConfiguration,
  items: readonly FeedbackItem[],
  labels: readonly PlainLabel[],
): Promise<PlainEvaluationReport> {
  const { predictions, durationMs } = await triageAll(agents, config, items);
  const coarse = labels.some((l) => l.coarse);
  const as = (label: string) => (coarse ? coarseLabelOf(label) : label);
  const pairs = labels.map((l, i) => ({
    id: l.id,
    expected: as(l.label),
    predicted: as(predictions[i]!.category),
    confidence: predictions[i]!.confidence,
    review: predictions[i]!.status === "needs_review",
  }));
  const known = coarse ? COARSE_LABELS : categoryLabels;
  const confident = pairs.filter((p) => p.confidence >= CONFIDENT);
  const review = pairs.filter((p) => p.review);
  const priorities = labels.flatMap((l, i) =>
    l.priority ? [{ expected: l.priority as string, predicted: predictions[i]!.priority as string }] : [],
  );
  return {
    agents: agents.name,
    evaluated: pairs.length,
    comparedAs: coarse ? "coarse" : "category",
    accuracy: accuracy(pairs),
    perClass: perClassMetrics(pairs, known),
    confusion: confusionMatrix(pairs, known),
    reliability: reliability(pairs),
    confident: { threshold: CONFIDENT, n: confident.length, accuracy: accuracy(confident) },
    needsReview: { n: review.length, accuracy: accuracy(review) },
    priorityAccuracy: priorities.length ? accuracy(priorities) : null,
    priorityEvaluated: priorities.length,
    itemsPerSecond: durationMs > 0 ? (pairs.length / durationMs) * 1000 : 0,
    durationMs,
    mistakes: pairs
      .filter((p) => p.expected !== p.predicted)
      .map((p) => ({ id: p.id, expected: p.expected, predicted: p.predicted, confidence: p.confidence })),
  };
}

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
  const { predictions, durationMs } = await triageAll(agents, config, labelled);
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
