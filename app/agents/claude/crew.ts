import { performance } from "node:perf_hooks";
import { BackendError } from "../../../sdk/errors.js";
import { type TriageAgents, TriageResult } from "../../../sdk/ports/agents.js";
import type { ModelPrices, TriageConfiguration } from "../../../sdk/schemas/configuration.js";
import type { FeedbackItem, Priority } from "../../../sdk/schemas/feedback.js";
import type { ProcessingLogEntry } from "../../../sdk/schemas/ticket.js";
import { analyseBug, assessSeverity } from "../offline/bug-analyser.js";
import { triageOne } from "../offline/crew.js";
import { gatherEvidence } from "../offline/evidence.js";
import { detectLanguage, UNDETERMINED } from "../offline/language.js";
import { decidePriority } from "../offline/priority.js";
import { reviewTicket } from "../offline/quality-critic.js";
import {
  type BugAnalysis,
  ClassifierOutput,
  type FeatureAnalysis,
  type PriorityDecision,
  type Severity,
  type TriageCategory,
} from "../offline/schemas.js";
import { cleanTitleText, fitTitle, isInstructionLike, MAX_TITLE } from "../offline/title.js";
import { type PiiKind, redactPii } from "../redact.js";
import { decidePromptCaching } from "./caching.js";
import { costOfUsage, DEFAULT_MODEL_PRICES, priceFor } from "./cost.js";
import { screenForInjection } from "./injection.js";
import { addUsage, ModelCallError, type ModelClient, type ModelUsage, ZERO_USAGE } from "./model-port.js";
import { buildUserMessage, PROMPT_VERSION, type PromptItem, renderItem, SYSTEM_PROMPT } from "./prompts.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, runAttempts } from "./retry.js";
import { ANSWER_JSON_SCHEMA, CATEGORY_CODES, type CompactItem, parseAnswer, SEVERITY_CODES } from "./schemas.js";
import { estimateTokens } from "./tokens.js";

/**
 * The Claude crew. One model call triages a group of items (classifier, bug analyser, feature extractor
 * and title writer in one structured answer); the rest is local and deterministic:
 * - before the call: PII redaction, a prompt-injection screen, and the offline crew's assessment;
 * - after it: priority from the configured rules (`decidePriority`, fed with the model's category,
 *   severity and reach), title hygiene, the offline quality critic, and a cross-check with the offline
 *   crew: a suspected injection or a large disagreement sends the ticket to needs_review, and an
 *   escalation the content does not support is capped.
 * Model failures are retried (at most 3 attempts per call); items that still fail make `triage` throw,
 * after keeping the results of the others for the pipeline's item-by-item retry (so they are not paid twice).
 */
export interface ClaudeAgentsOptions {
  readonly client: ModelClient;
  /** Model id; defaults to `config.agents.claudeModel` at each call. */
  readonly model?: string;
  /** Items per request (default 15, at most 50). */
  readonly batchSize?: number;
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
  /** Redact e-mail addresses, phone numbers, card numbers and IBANs before sending (default true). */
  readonly redact?: boolean;
  /** Price table; defaults to `config.modelPrices`, then to DEFAULT_MODEL_PRICES. */
  readonly prices?: ModelPrices;
  readonly retry?: Partial<RetryPolicy>;
  /** Output budget per item in a request (default 150 tokens; the answer takes about 50). */
  readonly maxOutputTokensPerItem?: number;
  /** How long results of a failed call are kept for the pipeline's item-by-item retry (default 10 min). */
  readonly holdResultsMs?: number;
}

export const DEFAULT_BATCH_SIZE = 15;
export const MAX_BATCH_SIZE = 50;
const CACHE_LIFETIME_MS = 5 * 60_000;
const MAX_HELD = 10_000;

const PREFIX: Record<TriageCategory, string> = {
  Bug: "[BUG]",
  "Feature Request": "[FEATURE]",
  Praise: "[PRAISE]",
  Complaint: "[COMPLAINT]",
  Spam: "[SPAM]",
};
/** The critic reads no evidence scores from a model answer: zero for every score the offline schema has. */
const NO_SCORES = Object.fromEntries(
  Object.keys(ClassifierOutput.shape.scores.shape).map((k) => [k, 0]),
) as ClassifierOutput["scores"];
const LEVELS: readonly Priority[] = ["Low", "Medium", "High", "Critical"];
const rank = (p: Priority): number => LEVELS.indexOf(p);
const SEVERITY_ORDER: readonly Severity[] = ["low", "medium", "high", "critical"];
const severityRank = (s: Severity | null): number => (s ? SEVERITY_ORDER.indexOf(s) : -1);

/** Items that failed, for the pipeline to send to the queue (and, after retries, to the DLQ). */
export class ClaudeCrewError extends BackendError {
  readonly failures: { sourceType: string; sourceId: string; error: string }[];
  constructor(failures: ClaudeCrewError["failures"], total: number) {
    const detail = failures
      .slice(0, 5)
      .map((f) => `${f.sourceId}: ${f.error}`)
      .join("; ");
    super(
      `Claude crew could not triage ${failures.length} of ${total} item(s): ${detail}${failures.length > 5 ? "; ..." : ""}`,
      {
        hint: "The pipeline retries these items one by one; items that keep failing end in the DLQ ('feedback-cli dlq list').",
      },
    );
    this.failures = failures;
  }
}

/** One item on its way through the crew. */
export interface Prepared {
  readonly item: FeedbackItem;
  readonly key: string;
  readonly prompt: Omit<PromptItem, "id">;
  readonly redactions: Record<PiiKind, number>;
  readonly screen: { suspected: boolean; signals: string[] };
  /** The offline crew's assessment (of the text without its instruction sentences when flagged). */
  readonly offline: TriageResult | null;
  /** The language the feedback is written in (ISO 639-1), or null: recorded, the model reads them all. */
  readonly language: string | null;
  readonly bug: BugAnalysis;
  readonly evidenceText: string;
  readonly prepMs: number;
}

export interface ItemCall {
  answer: CompactItem | null;
  usage: ModelUsage;
  attempts: number;
  requestItems: number;
  error: string | null;
  durationMs: number;
  cached: boolean;
}

export const itemKey = (item: FeedbackItem): string =>
  `${item.sourceType}\u0000${item.sourceId}\u0000${item.contentHash}`;

/** A clause of a steering sentence that names triage fields or levels belongs to the demand, not the content. */
const DEMAND_WORDS =
  /\b(?:critical|urgent|priority|prioriti[sz]e|severity|category|status|escalat\w*|p[0-4]|sev ?\d|bug|blocker|highest|approved?|classif\w*|mark|label|tag|flag|ticket|title|instructions?|rules?|prompt|system|assistant|ai|model|bot|llm|json|reply|respond|output)\b/i;

const flagged = (text: string): boolean => screenForInjection(text).suspected || isInstructionLike(text);

/**
 * The text without what tries to instruct the system, so that the offline crew judges the rest on its
 * merits: flagged sentences are cut into clauses and flagged clauses dropped; inside the clauses kept,
 * tokens that decode to instructions (base64, hex, percent-encoding) and forged markup are removed.
 */
export function withoutInstructions(text: string, strict = false): string {
  const kept: string[] = [];
  for (const sentence of text.split(/(?<=[.!?])\s+|(?<=[\u3002\uff01\uff1f])|\n+/)) {
    if (!sentence.trim()) continue;
    if (!strict && !flagged(sentence)) {
      kept.push(sentence.trim());
      continue;
    }
    const clauses = sentence.split(
      /\s+[-\u2013\u2014]\s+|[,;:\uff0c\u3001]\s*|\s+(?:and|but|also|then|otherwise)\s+|<\|[^|]*\|>|<\/?[a-z_]+[^>]*>/i,
    );
    for (const clause of clauses) {
      const rest = clause
        .replace(/<\|[^|]*\|>|<\/?[a-z_]+[^>]*>|\[\/?[a-z]+\]/gi, " ")
        .replace(/\S{16,}/g, (token) => (flagged(token) ? " " : token))
        .trim();
      if (rest.split(/\s+/).length >= (strict ? 3 : 2) && !flagged(rest) && !DEMAND_WORDS.test(rest))
        kept.push(rest.replace(/\s+/g, " "));
    }
  }
  return kept.join(" ").trim();
}

/** Splits an integer total over weights so that the parts add up exactly (largest remainder). */
export function splitInteger(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => (sum > 0 ? (total * w) / sum : total / weights.length));
  const parts = shares.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = shares.map((s, i) => [s - Math.floor(s), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}

function splitUsage(usage: ModelUsage, weights: readonly number[]): ModelUsage[] {
  const input = splitInteger(usage.inputTokens, weights);
  const output = splitInteger(usage.outputTokens, weights);
  const read = splitInteger(usage.cacheReadTokens, weights);
  const write = splitInteger(usage.cacheWriteTokens, weights);
  return weights.map((_, i) => ({
    inputTokens: input[i]!,
    outputTokens: output[i]!,
    cacheReadTokens: read[i]!,
    cacheWriteTokens: write[i]!,
  }));
}

async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}

export function prepare(item: FeedbackItem, config: TriageConfiguration, redact: boolean): Prepared {
  const started = performance.now();
  const redactions: Record<PiiKind, number> = { EMAIL: 0, IBAN: 0, CARD: 0, PHONE: 0 };
  const scrub = (text: string | null): string | null => {
    if (text === null || !redact) return text;
    const r = redactPii(text);
    for (const kind of Object.keys(r.counts) as PiiKind[]) redactions[kind] += r.counts[kind];
    return r.text;
  };
  const text = scrub(item.text) ?? item.text;
  const subject = scrub(item.subject);
  const device = scrub(item.device);
  const screen = screenForInjection(`${item.subject ?? ""}\n${item.text}`);
  // The content on its merits: when instructions were found, the offline crew judges the rest.
  let judged = item;
  if (screen.suspected) {
    judged = {
      ...item,
      text: withoutInstructions(item.text),
      subject: item.subject ? withoutInstructions(item.subject, true) || null : null,
    };
  }
  const instructionsOnly =
    screen.suspected && `${judged.subject ?? ""} ${judged.text}`.replace(/[^\p{L}\p{N}]/gu, "").length < 3;
  let offline: TriageResult | null = null;
  try {
    offline = instructionsOnly ? instructionsOnlyResult(item) : triageOne(judged, config);
  } catch {
    offline = null;
  }
  const evidence = gatherEvidence(judged);
  const language = detectLanguage(item.text, item.subject).code;
  return {
    item,
    key: itemKey(item),
    prompt: {
      sourceType: item.sourceType,
      subject,
      text,
      rating: item.rating,
      appVersion: item.appVersion,
      device,
      platform: item.platform,
      statedPriority: item.sourceType === "app_store_review" ? null : item.statedPriority,
    },
    redactions,
    screen,
    offline,
    language: language === UNDETERMINED ? null : language,
    bug: analyseBug(judged, evidence),
    evidenceText: `${evidence.subject}\n${evidence.body}`,
    prepMs: performance.now() - started,
  };
}

/**
 * Feedback that consists only of instructions to the triage system reports nothing about the product:
 * on its merits it is unsolicited content (Spam, Low), for a person to look at.
 */
function instructionsOnlyResult(item: FeedbackItem): TriageResult {
  return TriageResult.parse({
    category: "Spam",
    confidence: 0.6,
    priority: "Low",
    title: "[SPAM] No product feedback, only text aimed at the triage tool",
    description: item.text,
    technicalDetails: { severity: null },
    status: "needs_review",
    qualityScore: null,
    reviewReasons: ["only instructions to the triage system"],
    logs: [],
  });
}

const PLACEHOLDER_RE = /\[(?:EMAIL|PHONE|CARD|IBAN)\]/g;

/** A model title made safe, or null when it must not be used (instructions, nothing left). */
export function sanitiseModelTitle(raw: string): string | null {
  const text = cleanTitleText(
    raw.replace(PLACEHOLDER_RE, " ").replace(/^\s*\[(?:bug|feature|praise|complaint|spam)\]\s*/i, ""),
  );
  if (text.replace(/[^\p{L}\p{N}]/gu, "").length < 3) return null;
  if (isInstructionLike(text) || screenForInjection(text).suspected) return null;
  return text;
}

/**
 * The model's title when it is clean; otherwise (and always for an item that tries to steer the model,
 * whose answer may echo the injected text) the offline crew's title of the content without instructions.
 */
function titleFrom(
  category: TriageCategory,
  answer: CompactItem,
  prep: Prepared,
  injection: boolean,
): { title: string; fromModel: boolean; rejected: string | null } {
  const prefix = PREFIX[category];
  const fromModel = injection ? null : sanitiseModelTitle(answer.t);
  if (fromModel) {
    const title = fitTitle(prefix, fromModel.charAt(0).toUpperCase() + fromModel.slice(1));
    if (!isInstructionLike(title) && !screenForInjection(title).suspected)
      return { title, fromModel: true, rejected: null };
  }
  const offlineCore = prep.offline ? prep.offline.title.replace(/^\[[A-Z]+\]\s*/, "") : "";
  const core = sanitiseModelTitle(offlineCore) ?? `${category} from ${prep.item.sourceType.replace(/_/g, " ")}`;
  return { title: fitTitle(prefix, core), fromModel: false, rejected: answer.t.slice(0, 200) };
}

function describe(
  prep: Prepared,
  category: TriageCategory,
  confidence: number,
  severity: Severity | null,
  answer: CompactItem,
  priority: PriorityDecision,
  model: string,
): string {
  const { item, bug } = prep;
  const meta = [
    item.sourceType.replace(/_/g, " "),
    item.rating ? `${item.rating}/5 stars` : null,
    item.statedPriority ? `stated priority ${item.statedPriority}` : null,
  ]
    .filter(Boolean)
    .join(", ");
  const lines: string[] = [];
  const add = (label: string, value: string | null | undefined) => {
    if (value) lines.push(`- ${label}: ${value}`);
  };
  if (category === "Bug") {
    add("Severity", severity);
    add("Affected feature", answer.a);
  }
  if (category === "Complaint") add("Topic", answer.a);
  if (category === "Feature Request") {
    add("Requested capability", answer.a);
    add("User impact", answer.u);
  }
  add("Device", bug.device);
  add("OS", bug.os);
  add("App version", bug.appVersion);
  add("Platform", bug.platform);
  if (category === "Bug" && bug.stepsToReproduce.length > 0)
    lines.push("- Steps to reproduce:", ...bug.stepsToReproduce.map((s, i) => `  ${i + 1}. ${s}`));
  const warning =
    prep.screen.suspected || answer.x === 1
      ? ["Warning: this feedback contains text that tries to instruct the triage system; it was not followed.", ""]
      : [];
  return [
    ...warning,
    `Original feedback (${meta}):`,
    ...(item.subject ? [`Subject: ${item.subject}`] : []),
    item.text
      .split(/\r?\n/)
      .map((l) => `> ${l}`)
      .join("\n"),
    "",
    ...(lines.length ? ["Extracted details:", ...lines, ""] : []),
    `Classification: ${category} (confidence ${confidence.toFixed(2)}, ${model}); priority ${priority.priority}: ${priority.reasons.join("; ")}.`,
  ].join("\n");
}

export interface BuildMeta {
  readonly model: string;
  readonly config: TriageConfiguration;
  readonly prices: ModelPrices;
  readonly messageBatch: boolean;
}

/** Turns the model's answer for one item into a validated TriageResult. */
export function buildResult(
  prep: Prepared,
  answer: CompactItem,
  call: Omit<ItemCall, "answer">,
  meta: BuildMeta,
): TriageResult {
  const started = performance.now();
  const { item, offline, bug } = prep;
  const reasons: string[] = [];
  const injection = prep.screen.suspected || answer.x === 1;
  const offlineCategory = offline && offline.category !== "Failed" ? (offline.category as TriageCategory) : null;
  const offlineSeverity = (offline?.technicalDetails.severity ?? null) as Severity | null;

  let category: TriageCategory = CATEGORY_CODES[answer.c];
  let confidence = Math.max(0, Math.min(1, answer.f / 100));
  let severity: Severity | null = category === "Bug" ? (answer.s ? SEVERITY_CODES[answer.s] : null) : null;

  if (injection) {
    const signals = prep.screen.signals.length ? prep.screen.signals.join(", ") : "flagged by the model";
    reasons.push(`possible prompt injection (${signals}); classified on content, escalation capped`);
    if (offlineCategory && offlineCategory !== category) {
      reasons.push(`model said ${category}, content says ${offlineCategory}: using ${offlineCategory}`);
      category = offlineCategory;
      severity = category === "Bug" ? offlineSeverity : null;
    }
    if (category === "Bug") {
      const contentSeverity = offlineSeverity ?? assessSeverity(prep.evidenceText).severity;
      if (severityRank(severity) > severityRank(contentSeverity)) severity = contentSeverity;
    }
    confidence = Math.min(confidence, offline?.confidence ?? confidence);
  } else if (offlineCategory && offlineCategory !== category && (offline?.confidence ?? 0) >= 0.9) {
    reasons.push(
      `model and offline crew disagree on the category (${category} vs ${offlineCategory} at ${offline?.confidence.toFixed(2)})`,
    );
  }

  const featureImpact = category === "Feature Request" ? (answer.w === "h" ? "high" : "normal") : null;
  let priority = decidePriority({
    category,
    text: prep.evidenceText,
    rules: meta.config.priorityRules,
    severity,
    featureImpact,
    statedPriority: item.sourceType === "app_store_review" ? null : item.statedPriority,
  });
  const offlinePriority = offline && offline.category !== "Failed" ? offline.priority : null;
  if (offlinePriority) {
    const cap = injection ? rank(offlinePriority) : rank(offlinePriority) + 1;
    if (rank(priority.priority) > cap) {
      const capped = LEVELS[cap]!;
      reasons.push(
        `priority ${priority.priority} exceeds what the content supports (offline ${offlinePriority}); capped at ${capped}`,
      );
      priority = {
        ...priority,
        priority: capped,
        reasons: [...priority.reasons, `capped at ${capped} by the offline cross-check`],
      };
    }
  }

  const title = titleFrom(category, answer, prep, injection);
  if (title.rejected !== null && !injection)
    reasons.push("model title rejected (instruction-like or empty); offline title used");
  const description = describe(prep, category, confidence, severity, answer, priority, meta.model);
  const affected = answer.a ? cleanTitleText(answer.a).slice(0, 120) || null : null;
  const feature: FeatureAnalysis | null =
    category === "Feature Request"
      ? {
          requestedCapability: affected,
          userImpact: answer.u ? cleanTitleText(answer.u).slice(0, 200) || null : null,
          impactLevel: featureImpact ?? "normal",
          impactReasons: [],
        }
      : null;
  const review = reviewTicket({
    item,
    classification: { category, confidence, decidedBy: "claude", scores: NO_SCORES, signals: [] },
    bug: { ...bug, severity, affectedFeature: affected ?? bug.affectedFeature },
    feature,
    priority,
    draft: { title: title.title, description, titleFromFallback: !title.fromModel },
    confidenceThreshold: meta.config.confidenceThreshold,
  });

  const price = priceFor(meta.model, meta.prices);
  const costUsd = price ? costOfUsage(call.usage, price, { messageBatch: meta.messageBatch }) : null;
  const tokensIn = call.usage.inputTokens + call.usage.cacheReadTokens + call.usage.cacheWriteTokens;
  const needsReview = injection || reasons.length > 0 || confidence < meta.config.confidenceThreshold || !review.passed;
  const reviewReasons = needsReview
    ? [
        ...reasons,
        ...(confidence < meta.config.confidenceThreshold
          ? [`confidence ${confidence.toFixed(2)} below threshold ${meta.config.confidenceThreshold}`]
          : []),
        ...review.reasons.filter((r) => !r.startsWith("classifier confidence")),
      ]
    : [];
  if (needsReview && reviewReasons.length === 0) reviewReasons.push("quality critic score below pass mark");

  const round = (n: number) => Math.round(n * 1000) / 1000;
  const logs: ProcessingLogEntry[] = [
    {
      agent: "guard",
      action: "redact-and-screen",
      result: { redacted: prep.redactions, injectionSuspected: prep.screen.suspected, signals: prep.screen.signals },
      confidence: null,
      durationMs: round(prep.prepMs),
      tokensIn: null,
      tokensOut: null,
    },
    {
      agent: "claude",
      action: "classify-analyse-write",
      result: {
        model: meta.model,
        promptVersion: PROMPT_VERSION,
        answer: { ...answer, t: answer.t.slice(0, 200) },
        attempts: call.attempts,
        requestItems: call.requestItems,
        messageBatch: meta.messageBatch,
        promptCaching: call.cached,
        inputTokens: call.usage.inputTokens,
        cacheReadTokens: call.usage.cacheReadTokens,
        cacheWriteTokens: call.usage.cacheWriteTokens,
        outputTokens: call.usage.outputTokens,
        costUsd: costUsd === null ? null : Math.round(costUsd * 1e9) / 1e9,
        ...(price ? {} : { costNote: `no price configured for ${meta.model} in model_prices` }),
      },
      confidence: round(answer.f / 100),
      durationMs: round(call.durationMs),
      tokensIn,
      tokensOut: call.usage.outputTokens,
    },
    {
      agent: "cross-check",
      action: "compare-offline",
      result: {
        offlineCategory,
        offlinePriority,
        offlineConfidence: offline?.confidence ?? null,
        agree: offlineCategory === category,
        injectionFlaggedByModel: answer.x === 1,
      },
      confidence: offline?.confidence ?? null,
      durationMs: 0,
      tokensIn: null,
      tokensOut: null,
    },
    {
      agent: "prioritiser",
      action: "prioritise",
      result: priority,
      confidence: null,
      durationMs: 0,
      tokensIn: null,
      tokensOut: null,
    },
    {
      agent: "ticket-writer",
      action: "write-ticket",
      result: {
        title: title.title,
        titleFromModel: title.fromModel,
        rejectedTitle: title.rejected,
        descriptionChars: description.length,
      },
      confidence: null,
      durationMs: 0,
      tokensIn: null,
      tokensOut: null,
    },
    {
      agent: "quality-critic",
      action: "review",
      result: review,
      confidence: review.score / 10,
      durationMs: round(performance.now() - started),
      tokensIn: null,
      tokensOut: null,
    },
  ];
  const technicalDetails: Record<string, unknown> = {
    device: bug.device,
    os: bug.os,
    appVersion: bug.appVersion,
    platform: bug.platform,
    stepsToReproduce: category === "Bug" ? bug.stepsToReproduce : [],
    affectedFeature: category === "Bug" || category === "Complaint" ? (affected ?? bug.affectedFeature) : null,
    severity: category === "Bug" ? severity : null,
    requestedCapability: feature?.requestedCapability ?? null,
    userImpact: feature?.userImpact ?? null,
  };
  if (injection) technicalDetails.injectionSuspected = true;
  return TriageResult.parse({
    category,
    confidence: round(confidence),
    priority: priority.priority,
    title: title.title.slice(0, MAX_TITLE),
    description,
    technicalDetails,
    status: needsReview ? "needs_review" : "open",
    qualityScore: review.score,
    reviewReasons,
    language: prep.language,
    logs,
  });
}

/** When the model never gave a usable answer for an item that tries to steer it: content-based result. */
export function injectionFallback(prep: Prepared, call: ItemCall, meta: BuildMeta): TriageResult | null {
  if (!prep.offline || prep.offline.category === "Failed") return null;
  const o = prep.offline;
  const cat = o.category as TriageCategory;
  const code = (Object.entries(CATEGORY_CODES).find(([, c]) => c === cat)?.[0] ?? "C") as CompactItem["c"];
  const sev = (o.technicalDetails.severity ?? null) as Severity | null;
  const sevCode = sev
    ? ((Object.entries(SEVERITY_CODES).find(([, s]) => s === sev)?.[0] ?? null) as CompactItem["s"])
    : null;
  const synthetic: CompactItem = {
    i: 0,
    c: code,
    f: Math.round(o.confidence * 100),
    s: cat === "Bug" ? sevCode : null,
    w: null,
    t: o.title.replace(/^\[[A-Z]+\]\s*/, ""),
    a:
      (o.technicalDetails.affectedFeature as string | null | undefined) ??
      (o.technicalDetails.requestedCapability as string | null | undefined) ??
      null,
    u: (o.technicalDetails.userImpact as string | null | undefined) ?? null,
    x: 1,
  };
  const result = buildResult(prep, synthetic, call, meta);
  return TriageResult.parse({
    ...result,
    status: "needs_review",
    reviewReasons: [
      `model gave no valid answer after ${call.attempts} attempt(s) (${call.error}); offline content assessment used`,
      ...result.reviewReasons,
    ],
  });
}

export interface ClaudeAgents extends TriageAgents {
  /** Results kept from failed calls for the pipeline's item-by-item retry (for tests and metrics). */
  readonly heldResults: number;
  /** Like `triage`, but reports each item's failure instead of throwing (used by the Message Batches mode). */
  triageSettled(items: readonly FeedbackItem[], config: TriageConfiguration): Promise<SettledResult[]>;
}

export function createClaudeAgents(options: ClaudeAgentsOptions): ClaudeAgents {
  const batchSize = Math.max(1, Math.min(MAX_BATCH_SIZE, options.batchSize ?? DEFAULT_BATCH_SIZE));
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const redact = options.redact ?? true;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const perItemOutput = options.maxOutputTokensPerItem ?? 150;
  const holdMs = options.holdResultsMs ?? 10 * 60_000;
  const held = new Map<string, { result: TriageResult; expiresAt: number }>();
  const prefixTokens = estimateTokens(SYSTEM_PROMPT);
  let lastRequestAt = Number.NEGATIVE_INFINITY;

  const takeHeld = (key: string): TriageResult | undefined => {
    const entry = held.get(key);
    if (!entry) return undefined;
    held.delete(key);
    return entry.expiresAt >= Date.now() ? entry.result : undefined;
  };

  async function callGroup(group: readonly Prepared[], model: string, cachePrefix: boolean): Promise<ItemCall[]> {
    const withIds = group.map((prep, index) => ({ prep, id: index + 1 }));
    const calls: ItemCall[] = group.map(() => ({
      answer: null,
      usage: ZERO_USAGE,
      attempts: 0,
      requestItems: group.length,
      error: null,
      durationMs: 0,
      cached: cachePrefix,
    }));
    let pending = withIds;
    let outputFactor = 1;
    const started = performance.now();
    const records = await runAttempts(policy, undefined, async (_attempt, signal) => {
      const promptItems = pending.map(({ prep, id }) => ({ ...prep.prompt, id }));
      const weights = promptItems.map((p) => renderItem(p).length + SYSTEM_PROMPT.length / promptItems.length);
      for (const { id } of pending) calls[id - 1]!.attempts += 1;
      const charge = (usage: ModelUsage) => {
        splitUsage(usage, weights).forEach((share, k) => {
          const call = calls[pending[k]!.id - 1]!;
          call.usage = addUsage(call.usage, share);
        });
      };
      lastRequestAt = Date.now();
      let response: Awaited<ReturnType<ModelClient["complete"]>>;
      try {
        response = await options.client.complete({
          model,
          system: SYSTEM_PROMPT,
          user: buildUserMessage(promptItems),
          maxTokens: Math.ceil((200 + perItemOutput * promptItems.length) * outputFactor),
          outputSchema: ANSWER_JSON_SCHEMA,
          cachePrefix,
          signal,
          timeoutMs: policy.timeoutMs,
        });
      } catch (error) {
        if (error instanceof ModelCallError) {
          charge(error.usage);
          if (error.kind === "truncated") outputFactor *= 2;
        }
        for (const { id } of pending) calls[id - 1]!.error = describeFailure(error);
        throw error;
      }
      charge(response.usage);
      let parsed: ReturnType<typeof parseAnswer>;
      try {
        parsed = parseAnswer(response.json);
      } catch (error) {
        const failure = new ModelCallError("malformed", (error as Error).message, { usage: response.usage });
        for (const { id } of pending) calls[id - 1]!.error = describeFailure(failure);
        throw failure;
      }
      for (const { id } of pending) {
        const answer = parsed.items.get(id);
        if (answer) calls[id - 1]!.answer = answer;
        else {
          const bad = parsed.invalid.find((v) => v.id === id);
          calls[id - 1]!.error = bad ? `malformed: invalid entry (${bad.reason})` : "malformed: no entry for this item";
        }
      }
      pending = pending.filter(({ id }) => calls[id - 1]!.answer === null);
      return { done: pending.length === 0 };
    });
    const durationMs = performance.now() - started;
    for (const call of calls) {
      call.durationMs = durationMs / group.length;
      if (call.answer) call.error = null;
    }
    void records;
    return calls;
  }

  /** Every item either gets a result or an error; nothing is thrown for a failing item. */
  async function triageSettled(items: readonly FeedbackItem[], config: TriageConfiguration): Promise<SettledResult[]> {
    const settled: (SettledResult | undefined)[] = items.map((item) => {
      const result = takeHeld(itemKey(item));
      return result ? { ok: true, result } : undefined;
    });
    const todo = items.map((item, index) => ({ item, index })).filter(({ index }) => settled[index] === undefined);
    if (todo.length === 0) return settled as SettledResult[];

    const model = options.model ?? config.agents.claudeModel;
    const meta: BuildMeta = {
      model,
      config,
      prices: options.prices ?? config.modelPrices ?? DEFAULT_MODEL_PRICES,
      messageBatch: false,
    };
    const prepared = todo.map(({ item }) => prepare(item, config, redact));
    const groups: Prepared[][] = [];
    for (let i = 0; i < prepared.length; i += batchSize) groups.push(prepared.slice(i, i + batchSize));
    const recentlyUsed = Date.now() - lastRequestAt < CACHE_LIFETIME_MS;
    const caching = decidePromptCaching({
      model,
      prefixTokens,
      expectedRequests: groups.length + (recentlyUsed ? 1 : 0),
    });
    const groupCalls = await mapWithConcurrency(groups, concurrency, (group) =>
      callGroup(group, model, caching.enabled),
    );
    let k = 0;
    groups.forEach((group, g) => {
      group.forEach((prep, j) => {
        settled[todo[k++]!.index] = settle(prep, groupCalls[g]![j]!, meta);
      });
    });
    return settled as SettledResult[];
  }

  return {
    name: "claude",
    get heldResults() {
      return held.size;
    },
    triageSettled,
    async triage(items: readonly FeedbackItem[], config: TriageConfiguration): Promise<TriageResult[]> {
      const now = Date.now();
      for (const [key, entry] of held) if (entry.expiresAt < now) held.delete(key);
      const settled = await triageSettled(items, config);
      const failures: ClaudeCrewError["failures"] = [];
      settled.forEach((s, index) => {
        if (!s.ok)
          failures.push({ sourceType: items[index]!.sourceType, sourceId: items[index]!.sourceId, error: s.error });
      });
      if (failures.length > 0) {
        const expiresAt = Date.now() + holdMs;
        settled.forEach((s, index) => {
          if (s.ok) held.set(itemKey(items[index]!), { result: s.result, expiresAt });
        });
        // Bounded: the oldest entries go first (a Map iterates in insertion order).
        for (const key of held.keys()) {
          if (held.size <= MAX_HELD) break;
          held.delete(key);
        }
        throw new ClaudeCrewError(failures, items.length);
      }
      return settled.map((s) => (s as { ok: true; result: TriageResult }).result);
    },
  };
}

export type SettledResult =
  | { readonly ok: true; readonly result: TriageResult }
  | { readonly ok: false; readonly error: string };

/** The result of one item from its call: built from the answer, the injection fallback, or an error. */
export function settle(prep: Prepared, call: ItemCall, meta: BuildMeta): SettledResult {
  try {
    if (call.answer) return { ok: true, result: buildResult(prep, call.answer, call, meta) };
    const fallback = prep.screen.suspected ? injectionFallback(prep, call, meta) : null;
    if (fallback) return { ok: true, result: fallback };
    return { ok: false, error: `after ${call.attempts} attempt(s): ${call.error ?? "no answer"}` };
  } catch (error) {
    return { ok: false, error: `invalid result: ${describeFailure(error)}` };
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof ModelCallError)
    return `${error.kind}${error.status ? ` ${error.status}` : ""}: ${error.message}`.slice(0, 300);
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}
