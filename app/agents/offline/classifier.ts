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

/** The decision that matters most on real feedback: a bug report, a feature request, or neither. */
type Coarse = "bug" | "feature" | "other";
const coarse = (c: TriageCategory): Coarse => (c === "Bug" ? "bug" : c === "Feature Request" ? "feature" : "other");

function coarseProbabilities(p: Readonly<Record<TriageCategory, number>>): Record<Coarse, number> {
  const bug = p.Bug ?? 0;
  const feature = p["Feature Request"] ?? 0;
  return { bug, feature, other: Math.max(0, 1 - bug - feature) };
}

/**
 * Below this much rule evidence the text model may overrule the rules when it is confident. It never
 * decides Spam on its own: spam needs a spam signal (link, offer, contact, gibberish), not just a short text.
 * The text model is trained on real reviews (which only say bug / feature request / neither) and on our
 * five-category rows, so it may move an item between bug, feature and neither; between Praise and Complaint it
 * may only decide where the rules are weak and it was trained on such a split.
 */
const WEAK_EVIDENCE = 2.5;
const COARSE_WEAK_EVIDENCE = 2.5;
const TEXT_MODEL_MIN_PROBABILITY = 0.5;
const COARSE_MIN_PROBABILITY = 0.5;
/** Against more rule evidence than a star rating alone gives (a cue, faint praise) the text model must be surer. */
const RATING_PRIOR_MAX = 1;
const COARSE_MIN_PROBABILITY_AGAINST_RULES = 0.85;
/** Between Praise and Complaint, the text model decides only where the rules found (almost) nothing. */
const SENTIMENT_WEAK_EVIDENCE = 1;

/** Neither bug nor feature request: praise or complaint by the rules' sentiment, then the rating. */
function neither(e: Evidence, rating: number | null): TriageCategory {
  const complaint = e.complaint + e.moneyDemand;
  if (e.praise !== complaint) return e.praise > complaint ? "Praise" : "Complaint";
  return rating !== null && rating >= 4 ? "Praise" : "Complaint";
}

/** A 1-2 star Complaint or a 4-5 star Praise: the text model (which never sees the rating) does not flip it. */
const ratingBacks = (category: TriageCategory, rating: number | null): boolean =>
  rating !== null && ((category === "Complaint" && rating <= 2) || (category === "Praise" && rating >= 4));

export function traceDecision(item: FeedbackItem, e: Evidence, models: OfflineModels = SHIPPED_MODELS): DecisionTrace {
  let d = decide(e, item.rating);
  const text = predictCategory(item, models.textModel);
  const textCoarse = coarseProbabilities(text.probabilities);
  const ruleWinner = d.decidedBy === "fallback" ? 0 : evidenceFor(d.category, e);
  const best = (Object.keys(textCoarse) as Coarse[]).reduce((a, b) => (textCoarse[b] > textCoarse[a] ? b : a));
  if (
    d.category !== "Spam" &&
    best !== coarse(d.category) &&
    ruleWinner < COARSE_WEAK_EVIDENCE &&
    textCoarse[best] >= (ruleWinner > RATING_PRIOR_MAX ? COARSE_MIN_PROBABILITY_AGAINST_RULES : COARSE_MIN_PROBABILITY)
  ) {
    const category = best === "bug" ? "Bug" : best === "feature" ? "Feature Request" : neither(e, item.rating);
    d = { category, decidedBy: "text-model" };
  } else if (
    d.category !== "Spam" &&
    text.category !== "Spam" &&
    ruleWinner < (coarse(d.category) === "other" ? SENTIMENT_WEAK_EVIDENCE : WEAK_EVIDENCE) &&
    text.category !== d.category &&
    coarse(text.category) === coarse(d.category) &&
    text.probability >= TEXT_MODEL_MIN_PROBABILITY &&
    !ratingBacks(d.category, item.rating)
  ) {
    // Praise or Complaint from the text model alone, with no rule evidence at all, stays a guess (capped).
    d = { category: text.category, decidedBy: d.decidedBy === "fallback" ? "fallback" : "text-model" };
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
    textProbability: d.category === "Spam" ? (text.probabilities.Spam ?? 0) : textCoarse[coarse(d.category)],
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
