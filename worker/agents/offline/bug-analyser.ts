import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import { extractAffectedFeature, extractEnvironment, extractSteps } from "./details.js";
import type { Evidence } from "./evidence.js";
import { NEG } from "./lexicon/bug.js";
import { BugAnalysis, type Severity } from "./schemas.js";
import { isNegatedAt } from "./text.js";

/**
 * Severity from the content of a bug report:
 * critical = data loss, security/privacy, payment failure, unusable app or a crash/blank screen at start;
 * high = a crash or a major feature broken; medium = slowness, wrong behaviour, or a workaround exists;
 * low = cosmetic. A self-described "critical"/"urgent" problem and problems hitting a whole organisation
 * move one level up; an explicit workaround moves one level down.
 */
const DATA = "data|notes?|files?|photos?|pictures|messages|chats?|progress|history|contacts?|projects?|documents?|invoices?|recordings?|playlists?|highlights?|bookmarks?|workouts?|entries|transactions|folders?|workspace|addresses|saved \\w+|everything|changes";
const SEVERITY_SOURCES: ReadonlyArray<readonly [Severity, string, RegExp]> = [
  ["critical", "data loss", new RegExp(`\\bdata loss\\b|\\blost (?:all |about |almost |half |some |\\d+ |my |our |the |every |entire )*(?:${DATA})\\b|\\b(?:${DATA})\\b[^.!?]{0,40}\\b(?:disappear\\w*|vanish\\w*|gone|deleted|wiped|erased|missing|lost|not saved)|\\b(?:disappear\\w*|deleted|wiped|erased)\\b[^.!?]{0,30}\\b(?:${DATA})\\b`)],
  ["critical", "security or privacy", /\bhacked\b|\bcompromised\b|\bbreach\b|\bleak(?:s|ed|ing)?\b|\bexposed\b|\bvisible (?:to (?:other|everyone|anyone)|after (?:i )?log)|\bunauthori[sz]ed\b|\bunknown device\b|\bsomeone (?:else )?(?:logged|accessed|got) into\b|\b(?:privacy|security) (?:issue|problem|leak|bug|flaw|hole|vulnerability)\b|'s messages show up\b/],
  ["critical", "payment failure", /\b(?:payment|transaction|checkout|check out|purchase|card|paypal|pay)\b[^.!?]{0,40}\b(?:fail\w*|error|declined|stuck|won'?t|doesn'?t|didn'?t go through|not go through|spinning|something went wrong|crash\w*)|\bcharged anyway\b|\b(?:paid|charged)\b[^.!?]{0,40}\b(?:still|no|not)\b[^.!?]{0,30}\b(?:premium|pro|plan|access|unlock\w*|free)\b|\bcan'?t (?:pay|complete (?:the )?(?:payment|purchase))|\bcharged for a subscription\b|\b(?:fail\w*|error|declined|stuck|something went wrong|crash\w*)\b[^.!?]{0,40}\b(?:check ?out|pay(?:ment)?|card|purchase)\b/],
  ["critical", "app unusable", new RegExp(`\\bunusable\\b|\\bcompletely (?:broken|useless|unusable)\\b|\\b(?:won'?t|wont|doesn'?t|does not|will not|refuses to|can'?t|cannot) (?:even )?(?:open|launch|start)(?: the app| it| up)?(?: at all| anymore)?(?=[.!,;]|$| on| since| after| at| anymore)|\\bcan'?t use (?:the app|it) at all\\b|\\bnothing (?:loads|works)\\b|\\blocked out of (?:my|our) account\\b|\\b(?:crash\\w*|closes|black screen|white screen|blank screen)\\b[^.!?]{0,30}\\b(?:on|at|during) (?:start ?up|launch|opening|boot)|\\bcrash\\w* (?:as soon as|right after|when|before) (?:i )?(?:open|start|launch|can)|\\bcrash\\w* (?:immediately|instantly)\\b|\\b(?:totally|completely) useless\\b|\\bcannot sign in\\b`)],
  ["high", "crash or freeze", /\bcrash\w*|\bfreez\w*|\bfroze\b|\bforce[- ]?(?:clos|quit)\w*|\bcloses (?:by )?itself|\bapp closes\b|\brestarts\b|\bunresponsive\b|\bhangs\b/],
  ["high", "feature broken", new RegExp(`\\b${NEG} (?:even |properly )?(?:work|load|open|sync|connect|play|launch|save|send|upload|download|show|update|respond|log ?in|sign ?in|login|access|let me|arrive|record|recogni[sz]e|go off|track)\\w*|\\bstopped \\w+ing\\b|\\bbroken\\b|\\bfail\\w*|\\berrors?\\b|\\bstuck\\b|\\b(?:logs?|logged|kicks?|signs?) (?:me )?out\\b|\\bblack screen|\\bwhite screen|\\bblank screen|\\bnothing happens\\b|\\bdoes nothing\\b|\\bkeeps? (?:crashing|closing|logging|restarting|freezing)|\\bvanish\\w*|\\bmissing\\b|\\bunable to\\b|\\breset to 0\\b|\\bforever\\b|\\b(?:drops|cuts out) every\\b|\\boff by\\b|\\bshows? (?:\\$?0|the wrong)|\\bgets? duplicated\\b|\\bwrong one\\b|\\bnot (?:working|loading|arriving|syncing)\\b|\\bgreyed out\\b|\\bempty dashboard\\b|\\bunreachable\\b`)],
  ["medium", "performance or wrong behaviour", /\bslow\w*|\blag\w*|\bstutter\w*|\bchoppy\b|\btakes? (?:forever|ages|about|around|\d+)|\bbattery\b|\bheats? up\b|\blate\b|\bdelay\w*|\bwrong\b|\bincorrect\b|\binstead of\b|\bsideways\b|\bresets?\b|\bduplicat\w*|\bglitch\w*|\bbug\b|\bissue\b/],
  ["low", "cosmetic", /\btypos?\b|\bmisspel\w*|\bspelled\b|\bmisaligned\b|\balignment\b|\boverlap\w*|\bcut off\b|\btruncated\b|\bblurry\b|\bpixelated\b|\bstretched\b|\bcosmetic\b|\bhard to read\b|\bunreadable\b|\buntranslated\b|\btranslation\b|\blooks? (?:a bit |slightly )?(?:off|weird|odd|messy)\b|\bfont\b|\bcolou?r\b|\bicons?\b|\blogo\b|\bwhite background\b|\bgrey on black\b/],
];
const SEVERITY_PATTERNS = SEVERITY_SOURCES.map(([s, why, re]) => [s, why, new RegExp(re.source, "g")] as const);
const WORKAROUND_RE = /\bworkaround\b|\bwork around\b|\b(?:closing|restarting|reopening|logging out)[^.!?]{0,30}\bfixes it\b|\bfixes it\b|\bcan fix it manually\b|\b(?:works|shows?|arrive) (?:fine |ok |correctly )?on the (?:web|website|desktop|laptop|browser|web version)\b|\bthe web version shows\b|\bbefore it loads\b|\beventually (?:loads|works)\b|\bfor now i (?:just )?\w+|\bjust rotate\b|\bregenerate\b|\bthey do arrive on\b/;
const MINOR_RE = /\bminor\b|\bsmall (?:issue|bug|thing)\b|\bnot (?:a big deal|urgent|a huge deal)\b|\bjust (?:a )?(?:small|cosmetic)\b|\bslightly\b|\ba bit (?:irritating|annoying)\b|\bjust confusing\b/;
const URGENT_RE = /\bcritical\b|\burgent(?:ly)?\b|\basap\b|\bemergency\b|\bimmediate (?:resolution|fix|help|attention|action|assistance)\b|\bas soon as possible\b|\bblocking\b|\bneeds fixing now\b|\bfixed immediately\b/;
const WIDESPREAD_RE = /\b(?:all|every|whole|entire) (?:of )?(?:our |the )?(?:users|staff|team|company|organi[sz]ation|office|department|employees|customers|cashiers)\b|\bnobody (?:in|can)\b|\b\d{2,}\+? (?:users|people|employees|staff|cashiers|members|accounts)\b|\bmultiple users\b|\bour \d+ \w+ (?:cannot|can'?t)\b|\bour whole\b|\beveryone on\b/;

const ORDER: readonly Severity[] = ["low", "medium", "high", "critical"];
const shift = (s: Severity, by: number): Severity => ORDER[Math.min(3, Math.max(0, ORDER.indexOf(s) + by))]!;

/** `re` must be global (patterns are compiled once with the "g" flag). */
function firstUnnegated(text: string, re: RegExp): RegExpExecArray | null {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) if (!isNegatedAt(text, m.index)) return m;
  return null;
}
const global = (re: RegExp): RegExp => new RegExp(re.source, "g");
const COSMETIC_RE = global(SEVERITY_PATTERNS[SEVERITY_PATTERNS.length - 1]![2]);

export function assessSeverity(text: string): { severity: Severity | null; reasons: string[] } {
  const found = SEVERITY_PATTERNS.find(([, , re]) => firstUnnegated(text, re) !== null);
  if (!found) return { severity: null, reasons: [] };
  let severity = found[0];
  const reasons = [found[1]];
  if (severity !== "low" && severity !== "critical" && MINOR_RE.test(text)) {
    severity = "medium";
    reasons.push("described as minor");
  }
  if (severity === "medium" && firstUnnegated(text, COSMETIC_RE)) {
    severity = "low";
    reasons.push("cosmetic");
  }
  if (severity === "high" && WIDESPREAD_RE.test(text)) {
    severity = "critical";
    reasons.push("affects many users");
  } else if (URGENT_RE.test(text) && severity !== "low" && severity !== "critical") {
    severity = shift(severity, 1);
    reasons.push("reported as urgent");
  }
  if (WORKAROUND_RE.test(text) && severity !== "low") {
    severity = shift(severity, -1);
    reasons.push("workaround available");
  }
  return { severity, reasons };
}

const SYMPTOM_SOURCES: ReadonlyArray<readonly [string, RegExp]> = [
  ["Data loss", /\bdata loss\b|\blost (?:all |my |our )|\b(?:disappeared|vanished|wiped|gone|deleted)\b/],
  ["Security issue", /\bhacked\b|\bcompromised\b|\bbreach\b|\bleak\w*|\bexposed\b|\bprivacy (?:issue|leak)|\bsecurity (?:issue|problem)/],
  ["Payment failure", /\bpayment\w*|\bcheck ?out\b|\bcharged\b|\btransaction\b|\bcard\b/],
  ["App won't open", /\b(?:won'?t|wont|doesn'?t|can'?t|cannot) (?:even )?(?:open|launch|start)\b/],
  ["Crash", /\bcrash\w*|\bforce[- ]?clos\w*|\bcloses (?:by )?itself/],
  ["Freeze", /\bfreez\w*|\bfroze\b|\bunresponsive\b|\bhangs\b/],
  ["Blank screen", /\b(?:black|white|blank|grey) screen\b/],
  ["Login failure", /\b(?:log ?in|sign ?in|login|logs? (?:me )?out|logged out|locked out)\b/],
  ["Sync failure", /\bsync\w*/],
  ["Slow performance", /\bslow\w*|\blag\w*|\btakes? (?:forever|ages|about|around|\d+)/],
  ["Battery drain", /\bbattery\b|\boverheat\w*/],
  ["Cosmetic issue", /\btypo\w*|\bmisspel\w*|\bmisaligned\b|\boverlap\w*|\bblurry\b|\bstretched\b|\bcolou?r\b|\bfont\b/],
];

const SYMPTOMS = SYMPTOM_SOURCES.map(([label, re]) => [label, global(re)] as const);

export function analyseBug(item: FeedbackItem, e: Evidence): BugAnalysis {
  const text = `${e.subject} ${e.body}`;
  const { severity, reasons } = assessSeverity(text);
  const env = extractEnvironment(item);
  const problemAt = e.bugHits.length > 0 ? Math.min(...e.bugHits.map((h) => h.index)) : null;
  const symptom = SYMPTOMS.find(([, re]) => firstUnnegated(text, re) !== null)?.[0] ?? null;
  return BugAnalysis.parse({
    severity,
    severityReasons: reasons,
    ...env,
    stepsToReproduce: extractSteps(item.text),
    affectedFeature: extractAffectedFeature(e.body, problemAt),
    symptom,
  });
}
