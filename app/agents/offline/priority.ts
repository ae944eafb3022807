import type { PriorityRules } from "../../../sdk/schemas/configuration.js";
import type { Priority } from "../../../sdk/schemas/feedback.js";
import type { PriorityDecision, Severity, TriageCategory } from "./schemas.js";
import { isHedgedAt, isNegatedAt } from "./text.js";

/**
 * Priority = configuration first, content second, the sender's stated priority last:
 * 1. `priorityRules.rules` in order; the first rule of the item's category with a keyword in the subject or
 *    text wins (case-insensitive, whole words, and not when negated or hedged: "no crash", "considering a
 *    refund"). Without a match the category default applies.
 * 2. Content evidence can raise that (never lower it): bug severity, a feature's reach (integrations, offline,
 *    sync, collaboration, many users, security, accessibility, a low rating), a complaint's intensity (billing,
 *    churn, "scam", "ruined"). Without a rule match, content evidence replaces the default.
 * 3. A stated priority (e-mails) may raise the result by at most one level; for feature requests and complaints
 *    it may also lower it by one level (the requester knows what a wish is worth; a defect is judged on evidence).
 * Praise and spam ignore steps 2 and 3.
 */
const LEVELS: readonly Priority[] = ["Low", "Medium", "High", "Critical"];
const rank = (p: Priority): number => LEVELS.indexOf(p);
const atRank = (r: number): Priority => LEVELS[Math.min(3, Math.max(0, r))]!;
const SEVERITY_PRIORITY: Record<Severity, Priority> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
};

interface CompiledRule {
  readonly name: string;
  readonly category: string;
  readonly priority: Priority;
  readonly keywords: ReadonlyArray<readonly [string, RegExp]>;
}

function keywordPattern(keyword: string): RegExp {
  const escaped = keyword
    .trim()
    .toLowerCase()
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replace(/'/g, "['\u2019]?")
    .replace(/\s+/g, "\\s+");
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "gu");
}

const compiled = new WeakMap<PriorityRules, CompiledRule[]>();

function compile(rules: PriorityRules): CompiledRule[] {
  let list = compiled.get(rules);
  if (!list) {
    list = rules.rules.map((r) => ({
      name: r.name,
      category: r.category,
      priority: r.priority,
      keywords: r.keywords.map((k) => [k, keywordPattern(k)] as const),
    }));
    compiled.set(rules, list);
  }
  return list;
}

function affirmed(text: string, re: RegExp): boolean {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!isNegatedAt(text, m.index) && !isHedgedAt(text, m.index)) return true;
  }
  return false;
}

export function matchRule(
  category: string,
  text: string,
  rules: PriorityRules,
): { rule: string; keyword: string; priority: Priority } | null {
  for (const r of compile(rules)) {
    if (r.category !== category) continue;
    for (const [keyword, re] of r.keywords)
      if (affirmed(text, re)) return { rule: r.name, keyword, priority: r.priority };
  }
  return null;
}

const HIGH_COMPLAINT =
  /\brefund\w*|\bmoney back\b|\bcharged?\b|\bcharges\b|\bbill(?:ed|ing)\b|\bdouble[- ]charg\w*|\bover-?charg\w*|\buninstall\w*|\bcancel(?:l?ing|l?ed)? (?:my |the |our )?(?:[\w-]+ )?(?:subscription|account|membership|plan)\b|\bcancel(?:l?ing|l?ed)[.!]*$|\bnever (?:using|ordering|buying|shopping|booking|coming back|going back|use|order|buy)\b[^.!?]{0,30}\bagain\b|^banned\b|\bbanned (?:for|without|me)\b|\b(?:holding|withholding|kept|keeping) (?:my |our )?(?:money|funds|payouts?)\b|\bpayouts? (?:are |is )?on hold\b|(?<!after |despite |since )\bunsubscrib\w*(?! (?:three|\d+|twice|several|multiple) times| from (?:your|the|these) (?:e-?mails?|newsletters?|mailing))|\b(?:remove|close|delete) my account\b|\bno longer (?:wish|want) to use\b|\b(?:will not|won'?t|not going to) renew\b|\bnot renewing\b|\b(?:got|was|been) banned\b|\blook(?:ing)? for (?:an )?alternatives?\b|\baccount (?:was |got |has been )?(?:suspended|banned|blocked)\b|\bswitch(?:ed|ing)? to\b|\bmoving to\b|\bcompetitors?\b|\bleaving\b|\bdelet(?:e|ing) my account\b|\blost (?:all )?(?:my )?trust\b|\bnever again\b|\bscam\w*|\brip[- ]?off\b|\bfraud\w*|\bsteal\w*|\bruin(?:ed|s)?\b|\bdestroy(?:ed|s)?\b/g;

/** Negation is not checked here: "can't cancel my subscription" is as much a churn signal as "cancelling". */
export function complaintIntensity(text: string): "high" | "normal" {
  HIGH_COMPLAINT.lastIndex = 0;
  for (let m = HIGH_COMPLAINT.exec(text); m; m = HIGH_COMPLAINT.exec(text))
    if (!isHedgedAt(text, m.index)) return "high";
  return "normal";
}

const STATED: ReadonlyArray<readonly [Priority, RegExp]> = [
  ["Critical", /\b(?:critical|urgent|blocker|emergency|p0|p1|highest|sev ?1)\b/i],
  ["High", /\b(?:high|important|p2|sev ?2)\b/i],
  ["Medium", /\b(?:medium|normal|moderate|p3|sev ?3)\b/i],
  ["Low", /\b(?:low|minor|lowest|trivial|p4|sev ?4)\b/i],
];

export function parseStatedPriority(stated: string | null): Priority | null {
  if (!stated) return null;
  return STATED.find(([, re]) => re.test(stated))?.[0] ?? null;
}

export interface PriorityInput {
  readonly category: TriageCategory;
  /** Normalised subject and text. */
  readonly text: string;
  readonly rules: PriorityRules;
  readonly severity: Severity | null;
  readonly featureImpact: "high" | "normal" | null;
  readonly statedPriority: string | null;
}

function contentPriority(input: PriorityInput): { priority: Priority | null; reason: string | null } {
  switch (input.category) {
    case "Bug":
      return input.severity
        ? { priority: SEVERITY_PRIORITY[input.severity], reason: `bug severity ${input.severity}` }
        : { priority: null, reason: null };
    case "Feature Request":
      return input.featureImpact === "high"
        ? { priority: "Medium", reason: "feature with wide impact" }
        : { priority: null, reason: null };
    case "Complaint":
      return complaintIntensity(input.text) === "high"
        ? { priority: "High", reason: "billing or churn complaint" }
        : { priority: null, reason: null };
    default:
      return { priority: null, reason: null };
  }
}

export function decidePriority(input: PriorityInput): PriorityDecision {
  const reasons: string[] = [];
  const rule = matchRule(input.category, input.text, input.rules);
  const content =
    input.category === "Praise" || input.category === "Spam"
      ? { priority: null, reason: null }
      : contentPriority(input);
  let priority: Priority;
  if (rule) {
    priority = rule.priority;
    reasons.push(`rule ${rule.rule} matched "${rule.keyword}"`);
    if (content.priority && rank(content.priority) > rank(priority)) {
      priority = content.priority;
      reasons.push(`raised by ${content.reason}`);
    }
  } else if (content.priority) {
    priority = content.priority;
    reasons.push(content.reason ?? "content");
  } else {
    priority = input.rules.defaults[input.category] ?? "Medium";
    reasons.push(`default for ${input.category}`);
  }
  const stated =
    input.category === "Praise" || input.category === "Spam" ? null : parseStatedPriority(input.statedPriority);
  if (stated && rank(stated) > rank(priority)) {
    priority = atRank(Math.min(rank(stated), rank(priority) + 1));
    reasons.push(`raised towards stated ${stated}`);
  } else if (stated && rank(stated) < rank(priority) && input.category !== "Bug") {
    priority = atRank(Math.max(rank(stated), rank(priority) - 1));
    reasons.push(`lowered towards stated ${stated}`);
  }
  return {
    priority,
    matchedRule: rule?.rule ?? null,
    matchedKeyword: rule?.keyword ?? null,
    contentPriority: content.priority,
    statedPriority: stated,
    reasons,
  };
}
