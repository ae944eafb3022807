import { performance } from "node:perf_hooks";
import type { TriageResult } from "../../../sdk/ports/agents.js";
import type { TriageConfiguration } from "../../../sdk/schemas/configuration.js";
import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import type { ProcessingLogEntry } from "../../../sdk/schemas/ticket.js";
import { analyseBug } from "./bug-analyser.js";
import { classify } from "./classifier.js";
import { gatherEvidence } from "./evidence.js";
import { analyseFeature } from "./feature-extractor.js";
import { detectLanguage, type LanguageGuess, UNDETERMINED } from "./language.js";
import { type OfflineModels, SHIPPED_MODELS } from "./models.js";
import { decidePriority } from "./priority.js";
import { reviewTicket } from "./quality-critic.js";
import type { FeatureAnalysis } from "./schemas.js";
import { writeTicket } from "./ticket-writer.js";

/** Runs one role, timing it and appending its log entry. */
function role<T>(
  logs: ProcessingLogEntry[],
  agent: string,
  action: string,
  run: () => T,
  summarise: (out: T) => { result: Record<string, unknown>; confidence: number | null },
): T {
  const start = performance.now();
  const out = run();
  const { result, confidence } = summarise(out);
  logs.push({
    agent,
    action,
    result,
    confidence,
    durationMs: Math.round((performance.now() - start) * 1000) / 1000,
    tokensIn: null,
    tokensOut: null,
  });
  return out;
}

/** The most confidence the crew claims for a text it cannot read (it reads English only). */
export const FOREIGN_CONFIDENCE_CAP = 0.3;

/** Why a text the crew cannot read goes to review, or null when it reads English (or too little to tell). */
export function unreadableReason(language: LanguageGuess): string | null {
  if (!language.notEnglish) return null;
  return language.name
    ? `written in ${language.name}: the offline crew reads English only`
    : "not written in English (language undetermined): the offline crew reads English only";
}

export function triageOne(
  item: FeedbackItem,
  config: TriageConfiguration,
  models: OfflineModels = SHIPPED_MODELS,
): TriageResult {
  const logs: ProcessingLogEntry[] = [];
  const language = detectLanguage(item.text, item.subject);
  const unreadable = unreadableReason(language);
  const evidence = gatherEvidence(item);
  const classification = role(
    logs,
    "classifier",
    "classify",
    () => classify(item, evidence, models),
    (c) => ({
      result: {
        category: c.category,
        decidedBy: c.decidedBy,
        scores: c.scores,
        signals: c.signals,
        ...(unreadable ? { language: language.code, unreadable } : {}),
      },
      confidence: unreadable ? Math.min(c.confidence, FOREIGN_CONFIDENCE_CAP) : c.confidence,
    }),
  );
  const category = classification.category;
  const bug = role(
    logs,
    "bug-analyser",
    category === "Bug" ? "analyse-bug" : "extract-environment",
    () => analyseBug(item, evidence),
    (b) => ({
      result: category === "Bug" ? b : { device: b.device, os: b.os, appVersion: b.appVersion, platform: b.platform },
      confidence: null,
    }),
  );
  const feature: FeatureAnalysis | null = role(
    logs,
    "feature-extractor",
    category === "Feature Request" ? "extract-request" : "skip",
    () => (category === "Feature Request" ? analyseFeature(item, evidence) : null),
    (f) => ({ result: f ?? { skipped: `category is ${category}` }, confidence: null }),
  );
  const priority = role(
    logs,
    "prioritiser",
    "prioritise",
    () =>
      decidePriority({
        category,
        text: `${evidence.subject}\n${evidence.body}`,
        rules: config.priorityRules,
        severity: category === "Bug" ? bug.severity : null,
        featureImpact: feature?.impactLevel ?? null,
        statedPriority: item.sourceType === "app_store_review" ? null : item.statedPriority,
      }),
    (p) => ({ result: p, confidence: null }),
  );
  const draft = role(
    logs,
    "ticket-writer",
    "write-ticket",
    () => writeTicket({ item, classification, bug, feature, priority }),
    (d) => ({
      result: { title: d.title, titleFromFallback: d.titleFromFallback, descriptionChars: d.description.length },
      confidence: null,
    }),
  );
  const review = role(
    logs,
    "quality-critic",
    "review",
    () =>
      reviewTicket({
        item,
        classification,
        bug,
        feature,
        priority,
        draft,
        confidenceThreshold: config.confidenceThreshold,
      }),
    (r) => ({ result: r, confidence: r.score / 10 }),
  );
  // A text in another language is read as if it were English: whatever came out is a guess, for a person to check.
  const confidence = unreadable
    ? Math.min(classification.confidence, FOREIGN_CONFIDENCE_CAP)
    : classification.confidence;
  const lowConfidence = confidence < config.confidenceThreshold;
  const needsReview = unreadable !== null || lowConfidence || !review.passed;
  return {
    category,
    confidence,
    priority: priority.priority,
    title: draft.title,
    description: draft.description,
    technicalDetails: {
      device: bug.device,
      os: bug.os,
      appVersion: bug.appVersion,
      platform: bug.platform,
      stepsToReproduce: category === "Bug" ? bug.stepsToReproduce : [],
      affectedFeature: category === "Bug" || category === "Complaint" ? bug.affectedFeature : null,
      severity: category === "Bug" ? bug.severity : null,
      requestedCapability: feature?.requestedCapability ?? null,
      userImpact: feature?.userImpact ?? null,
    },
    status: needsReview ? "needs_review" : "open",
    qualityScore: review.score,
    reviewReasons: unreadable ? [unreadable, ...review.reasons] : needsReview ? review.reasons : [],
    language: language.code === UNDETERMINED ? null : language.code,
    logs,
  };
}

/** A result for an item the crew could not process, so one bad item never sinks a batch. */
export function failedResult(item: FeedbackItem, error: unknown): TriageResult {
  const message = error instanceof Error ? error.message : String(error);
  return {
    category: "Failed",
    confidence: 0,
    priority: "Medium",
    title: "[FAILED] Feedback could not be triaged",
    description: `The offline crew failed on this item: ${message}\n\n${item.text
      .split(/\r?\n/)
      .map((l) => `> ${l}`)
      .join("\n")}`,
    technicalDetails: {},
    status: "needs_review",
    qualityScore: null,
    reviewReasons: [`offline crew error: ${message}`],
    logs: [
      {
        agent: "crew",
        action: "triage",
        result: { error: message },
        confidence: null,
        durationMs: 0,
        tokensIn: null,
        tokensOut: null,
      },
    ],
  };
}
