import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import { calibratedConfidence, type DecisionTrace } from "./calibration.js";
import type { Evidence } from "./evidence.js";
import { type OfflineModels, SHIPPED_MODELS } from "./models.js";
import type { ClassifierOutput, TriageCategory } from "./schemas.js";
import { wordCount } from "./text.js";
import { predictCategory } from "./text-model.js";

/**
 * Category by precedence, so mixed feedback lands where it is actionable:
 * spam > billing dispute > bug > feature request > complaint > praise.
 * "Love it but it crashes" is a Bug; "love it, please add widgets" is a Feature Request.
 */
interface Decision {
  category: TriageCategory;
  decidedBy: string;
}

function decide(e: Evidence, rating: number | null): Decision {
  const { bug, feature, praise, moneyDemand } = e;
  const complaint = e.complaint + moneyDemand;
  const substantive = bug + feature + complaint;
  if (e.spam.score >= 3 && e.spam.score > substantive) return { category: "Spam", decidedBy: "spam-signals" };
  if (moneyDemand >= 3 && complaint + moneyDemand >= praise) {
    return { category: "Complaint", decidedBy: "billing-dispute" };
  }
  if (bug >= 3 && bug >= 0.6 * complaint && bug >= 0.75 * feature) return { category: "Bug", decidedBy: "malfunction" };
  if (feature >= 2.5 && feature >= 0.8 * complaint) return { category: "Feature Request", decidedBy: "request" };
  if (bug >= 2 && bug >= complaint && bug >= praise) return { category: "Bug", decidedBy: "weak-malfunction" };
  if (complaint >= 1.5 && complaint > praise) return { category: "Complaint", decidedBy: "dissatisfaction" };
  if (praise > 0 && praise >= complaint) return { category: "Praise", decidedBy: "appreciation" };
  if (feature >= 2) return { category: "Feature Request", decidedBy: "request" };
  if (rating !== null && rating >= 4) return { category: "Praise", decidedBy: "fallback" };
  return { category: "Complaint", decidedBy: "fallback" };
}

function evidenceFor(category: TriageCategory, e: Evidence): number {
  switch (category) {
    case "Bug":
      return e.bug;
    case "Feature Request":
      return e.feature;
    case "Praise":
      return e.praise;
    case "Complaint":
      return e.complaint + e.moneyDemand;
    case "Spam":
      return e.spam.score;
  }
}

const ALL: readonly TriageCategory[] = ["Bug", "Feature Request", "Praise", "Complaint", "Spam"];

/**
 * Below this much rule evidence the text model may overrule the rules when it is confident. It never
 * decides Spam on its own: spam needs a spam signal (link, offer, contact, gibberish), not just a short text.
 */
const WEAK_EVIDENCE = 2.5;
const TEXT_MODEL_MIN_PROBABILITY = 0.5;

export function traceDecision(item: FeedbackItem, e: Evidence, models: OfflineModels = SHIPPED_MODELS): DecisionTrace {
  let d = decide(e, item.rating);
  const text = predictCategory(item, models.textModel);
  const ruleWinner = d.decidedBy === "fallback" ? 0 : evidenceFor(d.category, e);
  if (
    d.category !== "Spam" &&
    text.category !== "Spam" &&
    ruleWinner < WEAK_EVIDENCE &&
    text.category !== d.category &&
    text.probability >= TEXT_MODEL_MIN_PROBABILITY
  ) {
    d = { category: text.category, decidedBy: "text-model" };
  }
  const winner = d.decidedBy === "fallback" || d.decidedBy === "text-model" ? 0 : evidenceFor(d.category, e);
  const runnerUp = Math.max(0, ...ALL.filter((c) => c !== d.category && c !== "Spam").map((c) => evidenceFor(c, e)));
  return {
    category: d.category,
    decidedBy: d.decidedBy,
    winner,
    runnerUp,
    rating: item.rating,
    words: wordCount(item.text),
    sarcasm: e.sarcasm,
    hasSubject: (item.subject ?? "").trim().length > 0,
    textProbability: text.probabilities[d.category] ?? 0,
  };
}

/** The classifier role: category plus calibrated confidence and the evidence behind it. */
export function classify(item: FeedbackItem, e: Evidence, models: OfflineModels = SHIPPED_MODELS): ClassifierOutput {
  const trace = traceDecision(item, e, models);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    category: trace.category,
    confidence: calibratedConfidence(trace, models.calibration),
    decidedBy: trace.decidedBy,
    scores: {
      bug: round(e.bug),
      featureRequest: round(e.feature),
      praise: round(e.praise),
      complaint: round(e.complaint + e.moneyDemand),
      spam: round(e.spam.score),
      textModel: round(trace.textProbability),
    },
    signals: e.signals.slice(0, 12),
  };
}
