import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import { extractAffectedFeature, extractEnvironment, extractSteps } from "./details.js";
import type { Evidence } from "./evidence.js";
import { COSMETIC, MINOR, SEVERITY_CUES, SYMPTOM_CUES, URGENT, WIDESPREAD, WORKAROUND } from "./lexicon/severity.js";
import type { BugAnalysis, Severity } from "./schemas.js";
import { isNegatedAt } from "./text.js";

/**
 * Severity from the content of a bug report:
 * critical = data loss, security/privacy, payment failure, unusable app or a crash/blank screen at start;
 * high = a crash or a major feature broken; medium = slowness or wrong behaviour; low = cosmetic.
 * Adjustments: "minor"/"not urgent" caps at medium; a whole organisation affected lifts high to critical;
 * a self-described critical/urgent problem moves one level up; an explicit workaround moves one level
 * down but not below medium ("Medium with a workaround").
 */
const global = (re: RegExp): RegExp => new RegExp(re.source, "g");
const SEVERITY = SEVERITY_CUES.map(([s, why, re]) => [s, why, global(re)] as const);
const SYMPTOMS = SYMPTOM_CUES.map(([label, re]) => [label, global(re)] as const);
const COSMETIC_G = global(COSMETIC);
const URGENT_G = global(URGENT);
const MINOR_G = global(MINOR);

/** `re` must be global. */
function firstUnnegated(text: string, re: RegExp): RegExpExecArray | null {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!isNegatedAt(text, m.index)) return m;
    re.lastIndex = m.index + 1; // a negated match may hide an overlapping one ("won't let me pay ... declined")
  }
  return null;
}

const ORDER: readonly Severity[] = ["low", "medium", "high", "critical"];
const shift = (s: Severity, by: number): Severity => ORDER[Math.min(3, Math.max(0, ORDER.indexOf(s) + by))]!;

export function assessSeverity(text: string): { severity: Severity | null; reasons: string[] } {
  const found = SEVERITY.find(([, , re]) => firstUnnegated(text, re) !== null);
  if (!found) return { severity: null, reasons: [] };
  let severity = found[0];
  const reasons = [found[1]];
  if ((severity === "high" || severity === "medium") && MINOR_G.test(text)) {
    severity = "medium";
    reasons.push("described as minor");
  }
  MINOR_G.lastIndex = 0;
  if (severity === "medium" && firstUnnegated(text, COSMETIC_G)) {
    severity = "low";
    reasons.push("cosmetic");
  }
  if (severity === "high" && WIDESPREAD.test(text)) {
    severity = "critical";
    reasons.push("affects many users");
  } else if (severity !== "low" && severity !== "critical" && firstUnnegated(text, URGENT_G)) {
    severity = shift(severity, 1);
    reasons.push("reported as urgent");
  }
  if ((severity === "critical" || severity === "high") && WORKAROUND.test(text)) {
    severity = shift(severity, -1);
    reasons.push("workaround available");
  }
  return { severity, reasons };
}

export function analyseBug(item: FeedbackItem, e: Evidence): BugAnalysis {
  const text = `${e.subject} ${e.body}`;
  const { severity, reasons } = assessSeverity(text);
  const env = extractEnvironment(item);
  const bodyHits = e.bugHits.filter((h) => h.index < e.body.length);
  const problemAt = bodyHits.length > 0 ? Math.min(...bodyHits.map((h) => h.index)) : null;
  const symptom = SYMPTOMS.find(([, re]) => firstUnnegated(text, re) !== null)?.[0] ?? null;
  return {
    severity,
    severityReasons: reasons,
    ...env,
    stepsToReproduce: extractSteps(item.text),
    affectedFeature: extractAffectedFeature(e.body, problemAt),
    symptom,
  };
}
