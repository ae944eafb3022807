import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import type { BugAnalysis, ClassifierOutput, FeatureAnalysis, PriorityDecision, TicketDraft } from "./schemas.js";
import { capitalise, sentences } from "./text.js";
import { cleanTitleText, firstUsefulSentence, fitTitle, isInstructionLike, MAX_TITLE } from "./title.js";

/** The ticket writer: an actionable title (<= 80 chars) and a description quoting the original text. */

export interface WriterInput {
  readonly item: FeedbackItem;
  readonly classification: ClassifierOutput;
  readonly bug: BugAnalysis;
  readonly feature: FeatureAnalysis | null;
  readonly priority: PriorityDecision;
}

const PREFIX = {
  Bug: "[BUG]",
  "Feature Request": "[FEATURE]",
  Praise: "[PRAISE]",
  Complaint: "[COMPLAINT]",
  Spam: "[SPAM]",
} as const;
const SPAM_WORDS: Record<string, string> = {
  link: "links",
  "money-offer": "money offer",
  "call-to-action": "click-bait",
  crypto: "crypto",
  "promo-code": "promo code",
  followers: "follower offer",
  "contact-offsite": "off-site contact",
  "shady-goods": "scam offer",
  shouting: "shouting",
  "repeated-characters": "repeated characters",
  gibberish: "gibberish",
};
const COMPLAINT_TOPICS: ReadonlyArray<readonly [string, RegExp]> = [
  ["Charged twice", /\b(?:charged|billed) (?:me )?twice\b|\bdouble[- ]charg|\bduplicate charge/i],
  ["Billing problem", /\bbill(?:ed|ing)\b|\bover-?charg|\bcharged\b/i],
  ["Too many ads", /\bads?\b|\badverts?\b|\bpop-?ups?\b/i],
  [
    "Unresponsive customer support",
    /\b(?:customer (?:service|support)|support|agent|chatbot|callback|reply|response)\b/i,
  ],
  [
    "Pricing and subscription",
    /\bpric\w*|\bexpensive\b|\bsubscription\b|\bpaywall|\bpremium\b|\bfree (?:tier|version)\b|\bcoins\b/i,
  ],
  [
    "Unhappy with redesign",
    /\bredesign\b|\bnew (?:design|layout|ui|interface)\b|\bnavigation\b|\blayout\b|\bupdate\b/i,
  ],
  ["Privacy concerns", /\bprivacy\b|\bdata\b|\bconsent\b|\bcontacts and location\b/i],
];

const SUBJECT_NOISE =
  /^(?:(?:re|fwd?|aw|urgent|critical|important|bug report|bug|issue|problem|question|feedback)\s*[:\-\u2013]\s*)+/i;
const subjectCore = (subject: string | null): string | null =>
  subject ? subject.replace(SUBJECT_NOISE, "").trim() || null : null;

const hasOwnWords = (s: string | null | undefined): s is string =>
  !!s && !isInstructionLike(s) && cleanTitleText(s).split(" ").length >= 2;

/** "Crash on profile page", "Crash when uploading", "Sync failure" (no "sync failure in sync"). */
const COVERED: Record<string, RegExp> = {
  "Login failure": /\b(?:log|sign|login|account|password)/,
  "Payment failure": /\b(?:pay|checkout|card|purchase|billing)/,
  "Sync failure": /\bsync/,
  "Data loss": /\b(?:data|files?|notes?)\b/,
};

function symptomWithFeature(symptom: string, feature: string): string {
  if (symptom.toLowerCase().includes(feature.split(" ")[0]!) || COVERED[symptom]?.test(feature)) return symptom;
  if (/ing$/.test(feature.split(" ")[0]!)) return `${symptom} when ${feature}`;
  return `${symptom} ${/\b(?:page|screen|tab|view|menu|section)$/.test(feature) ? "on" : "in"} ${feature}`;
}

function bugTitle(input: WriterInput): { core: string | null; context: string[] } {
  const { bug, item } = input;
  const feature = bug.affectedFeature;
  const symptom = bug.symptom;
  let core: string | null = null;
  const subject = subjectCore(item.subject);
  if (hasOwnWords(subject)) core = cleanTitleText(subject);
  else if (symptom && feature) core = symptomWithFeature(symptom, feature);
  else if (symptom) core = symptom;
  else if (feature) core = `${capitalise(feature)} not working`;
  const context: string[] = [];
  const mentionsUpdate = /\b(?:update|updating|upgrade|since|after|version)\b/i.test(item.text);
  const coreSaysWhen = /\b(?:after|since)\b/i.test(core ?? "");
  if (bug.appVersion && !core?.includes(bug.appVersion)) {
    context.push(`${mentionsUpdate && !coreSaysWhen ? "after" : "in"} ${bug.appVersion}`);
  }
  const said = (core ?? "").toLowerCase();
  if (bug.os && !said.includes(bug.os.toLowerCase())) context.push(`(${bug.os})`);
  else if (!bug.os && bug.device && !said.includes(bug.device.toLowerCase())) context.push(`(${bug.device})`);
  return { core, context };
}

function withContext(prefix: string, core: string, allContext: readonly string[]): string {
  const said = core.toLowerCase();
  const context = allContext.filter((c) => !said.includes(c.replace(/^\(|\)$|^(?:after|in) /g, "").toLowerCase()));
  for (let n = context.length; n >= 0; n--) {
    const candidate = [prefix, cleanTitleText(core), ...context.slice(0, n)].join(" ");
    if (candidate.length <= MAX_TITLE) return candidate;
  }
  return fitTitle(prefix, core);
}

function complaintCore(input: WriterInput): string | null {
  const text = `${input.item.subject ?? ""} ${input.item.text}`;
  const refund = /\brefund\w*|\bmoney back\b/i.test(text);
  const { affectedFeature, symptom } = input.bug;
  const duration = /\bfor (?:the past |over |about )?(\d+|a|two|three|four|several) (days?|weeks?|months?)\b/i.exec(
    text,
  );
  const bugIssue =
    input.classification.scores.bug >= 3 && (affectedFeature || symptom)
      ? `${symptom && affectedFeature ? symptomWithFeature(symptom, affectedFeature) : (symptom ?? `${affectedFeature} not working`)}${duration ? ` for ${duration[1]} ${duration[2]}` : ""}`
      : null;
  const topic = COMPLAINT_TOPICS.find(([, re]) => re.test(text))?.[0] ?? null;
  const subject = subjectCore(input.item.subject);
  const issue = bugIssue ?? (hasOwnWords(subject) ? subject : null) ?? topic;
  if (refund) return `Refund requested: ${issue ?? "dissatisfied customer"}`;
  return issue;
}

function title(input: WriterInput): { title: string; fallback: boolean } {
  const { item, classification } = input;
  const category = classification.category;
  const prefix = PREFIX[category];
  const parts = sentences(item.text);
  if (category === "Spam") {
    const kinds = classification.signals
      .filter((s) => s.startsWith("spam:"))
      .map((s) => SPAM_WORDS[s.slice(5)] ?? s.slice(5));
    return {
      title: fitTitle(
        prefix,
        `Unsolicited promotion${kinds.length ? ` (${[...new Set(kinds)].slice(0, 3).join(", ")})` : ""}`,
      ),
      fallback: false,
    };
  }
  let core: string | null = null;
  let context: string[] = [];
  if (category === "Bug") ({ core, context } = bugTitle(input));
  else if (category === "Feature Request") core = input.feature?.requestedCapability ?? null;
  else if (category === "Complaint") core = complaintCore(input);
  else core = hasOwnWords(subjectCore(item.subject)) ? subjectCore(item.subject) : firstUsefulSentence(parts);
  const fallback = !core || isInstructionLike(core);
  if (fallback)
    core = (hasOwnWords(subjectCore(item.subject)) ? subjectCore(item.subject) : null) ?? firstUsefulSentence(parts);
  const kind = {
    Bug: "Bug report",
    "Feature Request": "Feature request",
    Praise: "Positive feedback",
    Complaint: "Customer complaint",
  }[category];
  const safeCore =
    core && cleanTitleText(core).length >= 3
      ? capitalise(cleanTitleText(core))
      : `${kind} from ${item.sourceType.replace(/_/g, " ")}`;
  return { title: withContext(prefix, safeCore, context), fallback };
}

function detailLines(input: WriterInput): string[] {
  const { bug, feature, classification } = input;
  const lines: string[] = [];
  const add = (label: string, value: string | null | undefined) => {
    if (value) lines.push(`- ${label}: ${value}`);
  };
  if (classification.category === "Bug") {
    add(
      "Severity",
      bug.severity
        ? `${bug.severity}${bug.severityReasons.length ? ` (${bug.severityReasons.join(", ")})` : ""}`
        : null,
    );
    add("Symptom", bug.symptom);
    add("Affected feature", bug.affectedFeature);
  }
  add("Device", bug.device);
  add("OS", bug.os);
  add("App version", bug.appVersion);
  add("Platform", bug.platform);
  if (classification.category === "Bug" && bug.stepsToReproduce.length > 0) {
    lines.push("- Steps to reproduce:", ...bug.stepsToReproduce.map((s, i) => `  ${i + 1}. ${s}`));
  }
  if (feature) {
    add("Requested capability", feature.requestedCapability);
    add("User impact", feature.userImpact);
  }
  return lines;
}

function description(input: WriterInput): string {
  const { item, classification, priority } = input;
  const meta = [
    item.sourceType.replace(/_/g, " "),
    item.rating ? `${item.rating}/5 stars` : null,
    item.statedPriority ? `stated priority ${item.statedPriority}` : null,
  ]
    .filter(Boolean)
    .join(", ");
  const quoted = item.text
    .split(/\r?\n/)
    .map((l) => `> ${l}`)
    .join("\n");
  const details = detailLines(input);
  return [
    `Original feedback (${meta}):`,
    ...(item.subject ? [`Subject: ${item.subject}`] : []),
    quoted,
    "",
    ...(details.length ? ["Extracted details:", ...details, ""] : []),
    `Classification: ${classification.category} (confidence ${classification.confidence.toFixed(2)}); priority ${priority.priority}: ${priority.reasons.join("; ")}.`,
  ].join("\n");
}

export function writeTicket(input: WriterInput): TicketDraft {
  const t = title(input);
  return { title: t.title, description: description(input), titleFromFallback: t.fallback };
}
