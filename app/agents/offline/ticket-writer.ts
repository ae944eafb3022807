import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import type { BugAnalysis, ClassifierOutput, FeatureAnalysis, PriorityDecision, TicketDraft } from "./schemas.js";
import { supportedBy, supportSource } from "./support.js";
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
/** The first label whose words the text supports wins, so a narrower label falls back to a plainer one. */
const COMPLAINT_TOPICS: ReadonlyArray<readonly [string, RegExp]> = [
  ["Charged twice", /\b(?:charged|billed) (?:me )?twice\b|\bdouble[- ]charg|\bduplicate charge/i],
  ["Billing problem", /\bbill(?:ed|ing)\b|\bover-?charg|\bcharged\b/i],
  ["Too many ads", /\bads?\b|\badverts?\b|\bpop-?ups?\b/i],
  [
    "Unresponsive customer support",
    /\b(?:customer (?:service|support)|support|agent|chatbot|callback|reply|response)\b/i,
  ],
  ["Unhappy with customer support", /\b(?:customer (?:service|support)|support|agent|chatbot|helpdesk)\b/i],
  [
    "Pricing and subscription",
    /\bpric\w*|\bexpensive\b|\bsubscription\b|\bpaywall|\bpremium\b|\bfree (?:tier|version)\b|\bcoins\b/i,
  ],
  ["Unhappy with pricing", /\bpric\w*|\bexpensive\b|\boverpriced\b/i],
  ["Unhappy with the subscription", /\bsubscri\w*|\bpaywall|\bpremium\b/i],
  ["Unhappy with redesign", /\bredesign\b|\bnew (?:design|layout|ui|interface)\b|\blayout\b/i],
  ["Unhappy with navigation", /\bnavigation\b/i],
  ["Unhappy with the update", /\bupdates?\b/i],
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

const firstSupported = (source: string, candidates: readonly (string | null)[]): string | null =>
  candidates.find((c): c is string => !!c && supportedBy(source, c)) ?? null;

/** Condensations from the analysis, most specific first; only those the text supports count. */
function symptomCandidates(bug: BugAnalysis): (string | null)[] {
  const { symptom, affectedFeature: feature } = bug;
  return [
    symptom && feature ? symptomWithFeature(symptom, feature) : null,
    symptom,
    feature ? `${capitalise(feature)} not working` : null,
  ];
}

function bugTitle(input: WriterInput, source: string): { core: string | null; context: string[] } {
  const { bug, item } = input;
  const subject = subjectCore(item.subject);
  const candidates = [hasOwnWords(subject) ? cleanTitleText(subject) : null, ...symptomCandidates(bug)];
  // An unsupported candidate is still returned: details were extracted, and the final guard quotes the text.
  const core = firstSupported(source, candidates) ?? candidates.find((c) => c !== null) ?? null;
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

const DURATION_RE = /\bfor (?:the past |over |about )?(\d+|a|two|three|four|several) (days?|weeks?|months?)\b/i;

function complaintCore(input: WriterInput, source: string): string | null {
  const text = `${input.item.subject ?? ""} ${input.item.text}`;
  const refund = /\brefund\w*|\bmoney back\b/i.test(text);
  const duration = DURATION_RE.exec(text);
  const bugIssue = input.classification.scores.bug >= 3 ? firstSupported(source, symptomCandidates(input.bug)) : null;
  const topic = COMPLAINT_TOPICS.find(([label, re]) => re.test(text) && supportedBy(source, label))?.[0] ?? null;
  const subject = subjectCore(input.item.subject);
  const issue =
    (bugIssue && duration ? `${bugIssue} for ${duration[1]} ${duration[2]}` : bugIssue) ??
    (hasOwnWords(subject) ? subject : null) ??
    topic;
  if (refund) return issue ? `Refund requested: ${issue}` : "Refund requested";
  return issue;
}

const KIND = {
  Bug: "Bug report",
  "Feature Request": "Feature request",
  Praise: "Positive feedback",
  Complaint: "Complaint",
} as const;

/** Works in any language: the subject when it has words of its own, else the first useful sentence. */
function quotedCore(item: FeedbackItem): string | null {
  const subject = subjectCore(item.subject);
  return (hasOwnWords(subject) ? subject : null) ?? firstUsefulSentence(sentences(item.text));
}

function spamTitle(input: WriterInput): string {
  const kinds = input.classification.signals
    .filter((s) => s.startsWith("spam:"))
    .map((s) => SPAM_WORDS[s.slice(5)] ?? s.slice(5));
  return fitTitle(
    PREFIX.Spam,
    `Unsolicited promotion${kinds.length ? ` (${[...new Set(kinds)].slice(0, 3).join(", ")})` : ""}`,
  );
}

function condensedCore(input: WriterInput, source: string): { core: string | null; context: string[] } {
  const category = input.classification.category;
  if (category === "Bug") return bugTitle(input, source);
  if (category === "Feature Request") return { core: input.feature?.requestedCapability ?? null, context: [] };
  if (category === "Complaint") return { core: complaintCore(input, source), context: [] };
  return { core: quotedCore(input.item), context: [] };
}

function quotedTitle(item: FeedbackItem, category: keyof typeof KIND, context: readonly string[]): string {
  const quote = quotedCore(item);
  const prefix = PREFIX[category];
  if (quote && cleanTitleText(quote).length >= 3)
    return withContext(prefix, capitalise(cleanTitleText(quote)), context);
  return `${prefix} ${KIND[category]} from ${item.sourceType.replace(/_/g, " ")}`;
}

function title(input: WriterInput): { title: string; fallback: boolean } {
  const { item, classification } = input;
  const category = classification.category;
  // Spam titles name the detector's signals and never quote the text (links, offers): not condensations.
  if (category === "Spam") return { title: spamTitle(input), fallback: false };
  const prefix = PREFIX[category];
  const source = supportSource(item);
  const { core, context } = condensedCore(input, source);
  const extracted = !!core && !isInstructionLike(core) && cleanTitleText(core).length >= 3;
  const built = extracted ? withContext(prefix, capitalise(cleanTitleText(core)), context) : null;
  // A category read from the rating alone means the crew did not understand the text (often another
  // language): a condensation would rest on words it did not read, so the title quotes the text instead.
  const understood = classification.decidedBy !== "fallback";
  if (built && understood && supportedBy(source, built.slice(prefix.length))) return { title: built, fallback: false };
  return {
    title: quotedTitle(
      item,
      category,
      context.filter((c) => supportedBy(source, c)),
    ),
    // Only a bug or request whose details could not be extracted is a gap; a quote is how praise and
    // complaints are titled, and a quote replacing an unsupported template is the honest outcome.
    fallback: !extracted && (category === "Bug" || category === "Feature Request"),
  };
}

function detailLines(input: WriterInput): string[] {
  const { bug, feature, classification } = input;
  // A symptom label is a condensation: it is listed only when the text supports it.
  const symptom = bug.symptom && supportedBy(supportSource(input.item), bug.symptom) ? bug.symptom : null;
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
    add("Symptom", symptom);
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
