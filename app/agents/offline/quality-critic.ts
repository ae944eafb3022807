import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import type {
  BugAnalysis,
  ClassifierOutput,
  FeatureAnalysis,
  PriorityDecision,
  QualityReview,
  TicketDraft,
} from "./schemas.js";
import { wordCount } from "./text.js";
import { isInstructionLike } from "./title.js";

/**
 * The quality critic scores a draft ticket 1-10 and says why. It starts at 10 and deducts for a weak
 * title, a category/priority combination that does not fit, missing details a developer needs, and
 * low classifier confidence. A score below PASS_SCORE sends the ticket to needs_review.
 */
export const PASS_SCORE = 6;

export interface CriticInput {
  readonly item: FeedbackItem;
  readonly classification: ClassifierOutput;
  readonly bug: BugAnalysis;
  readonly feature: FeatureAnalysis | null;
  readonly priority: PriorityDecision;
  readonly draft: TicketDraft;
  readonly confidenceThreshold: number;
}

export function reviewTicket(input: CriticInput): QualityReview {
  const { item, classification, bug, feature, priority, draft } = input;
  const category = classification.category;
  const reasons: string[] = [];
  let score = 10;
  const deduct = (points: number, reason: string) => {
    score -= points;
    reasons.push(reason);
  };

  if (draft.titleFromFallback) deduct(2, "title could not be built from extracted details");
  if (draft.title.length < 15) deduct(1, "title is very short");
  if (isInstructionLike(draft.title)) deduct(4, "title contains instruction-like text");

  if ((category === "Praise" || category === "Spam") && priority.priority !== "Low") {
    deduct(3, `${category} with priority ${priority.priority} is unusual`);
  }
  if (category === "Feature Request" && priority.priority === "Critical") deduct(2, "feature request marked Critical");
  if (category === "Complaint" && priority.priority === "Critical") deduct(2, "complaint marked Critical");
  if (category === "Bug" && priority.priority === "Low" && bug.severity !== "low") {
    deduct(1, "bug marked Low without a cosmetic cause");
  }
  if (
    category === "Bug" &&
    priority.priority === "Critical" &&
    bug.severity !== "critical" &&
    bug.severity !== "high"
  ) {
    deduct(2, "Critical bug without evidence of data loss, security, payment or an unusable app");
  }

  if (category === "Bug") {
    if (!bug.device && !bug.os && !bug.platform) deduct(2, "bug without device, OS or platform");
    if (!bug.appVersion) deduct(1, "bug without app version");
    if (!bug.affectedFeature && bug.stepsToReproduce.length === 0)
      deduct(1, "bug without affected feature or steps to reproduce");
  }
  if (category === "Feature Request" && !feature?.requestedCapability)
    deduct(2, "feature request without a clear capability");
  if (category !== "Spam" && wordCount(item.text) < 4) deduct(2, "very little text to act on");

  if (classification.confidence < input.confidenceThreshold) {
    deduct(
      2,
      `classifier confidence ${classification.confidence.toFixed(2)} below threshold ${input.confidenceThreshold}`,
    );
  }
  if (classification.decidedBy === "fallback") deduct(1, "category inferred from the rating only");

  const bounded = Math.max(1, Math.min(10, score));
  return { score: bounded, reasons, passed: bounded >= PASS_SCORE };
}
