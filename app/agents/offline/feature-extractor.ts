import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import type { Evidence } from "./evidence.js";
import type { FeatureAnalysis } from "./schemas.js";
import { capitalise, sentences } from "./text.js";

/** What is being asked for, and how much it matters to the people asking. */

const END = String.raw`(?=[.!?;:(]|,|\s-\s| so | because | as (?:a|an|i|we) | since | which | that would | for (?:people|users|those|me|us|my|our|study|work)| when | and (?:it|i'?d|i would|also|the)\b| to (?:help|make|save)|$)`;
const CAPABILITY_SOURCES: readonly RegExp[] = [
  /(?:feature request|suggestion|request|idea|wish ?list)\s*:\s*(?:please )?(?:add |let (?:us|me) )?(.+?)(?=[.!?;(]|$)/,
  new RegExp(
    String.raw`\b(?:please|pls|plz|kindly) (?:\w+ )?(?:add|bring back|make|include|implement|support|allow (?:us|me) to|let (?:us|me)|consider(?: adding)?|integrate|create|build|give (?:us|me)|enable|introduce|offer|improve|prioriti[sz]e) (.+?)${END}`,
  ),
  new RegExp(
    String.raw`\b(?:would|'d) (?:really |so |also |just )?(?:love|like|appreciate|want) (?:to see |to have |to be able to |it if (?:you|the app) (?:added|could add|had) |if (?:you|there was|the app had|i could) |the (?:ability|option) to )?(.+?)${END}`,
  ),
  new RegExp(
    String.raw`\bwish (?:there (?:was|were|is) |it had |i could |you (?:would|could) (?:add )?|for )(.+?)${END}`,
  ),
  new RegExp(
    String.raw`\b(?:would|will|'d) be (?:so |really |very |super )?(?:great|nice|cool|awesome|amazing|helpful|handy|good|useful|fantastic|lovely|ideal) (?:if (?:the app|it|you|i|we|there was) (?:had|could|would|add(?:ed)?|supported)? ?|to (?:have |be able to |see )?)(.+?)${END}`,
  ),
  new RegExp(
    String.raw`\b(?:can|could|would|will) (?:you|u|we|they) (?:please )?(?:add|make|include|let us|allow|consider|integrate|build|bring|get|create|implement|give us|support|offer|introduce) (.+?)${END}`,
  ),
  new RegExp(
    String.raw`\b(?:any plans? (?:for|to add|to)|how about|is there any chance (?:you could add |of )?|consider adding|would it be possible to|is it possible to) (.+?)${END}`,
  ),
  new RegExp(String.raw`\b(?:needs?|need) (?:a |an |the |to have |more |some |better )(.+?)${END}`),
  new RegExp(String.raw`\b(?:integrat(?:e|ion) with|support for) (.+?)${END}`),
  new RegExp(String.raw`\b(?:the )?(?:option|ability|way) to (.+?)${END}`),
  new RegExp(String.raw`\b(?:add|adding|bring back) (.+?)${END}`),
  new RegExp(String.raw`\b(?:missing|lacks?|no way to|no option to) (?:a |an |the |basic )?(.+?)${END}`),
];
const CAPABILITY_PATTERNS = CAPABILITY_SOURCES.map((re) => new RegExp(re.source, "i"));
const LEADING =
  /^(?:a|an|the|some|me|us|to|for|of|with|more|ability to|option to|possibility to|support for a|support for|an option to|be able to)\s+/i;
const TRAILING = /\s+(?:please|pls|plz|too|as well|though|also|soon|feature|asap|thanks|option)$/i;
const MAX_WORDS = 9;

function cleanCapability(raw: string): string | null {
  let c = raw.trim().replace(/["`]+|(?<![a-z])'|'(?![a-z])/gi, "");
  for (let i = 0; i < 3; i++) c = c.replace(LEADING, "").replace(TRAILING, "");
  const words = c.split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
  const out = words.join(" ").replace(/[,;:]+$/, "");
  return out.length >= 3 ? capitalise(out) : null;
}

/** The capability asked for, from an e-mail subject when it names one, else from the request phrase. */
export function extractCapability(text: string, subject: string): string | null {
  const subjectCapability = subject
    .replace(/^(?:(?:re|fwd?):\s*)*(?:feature request|suggestion|request|idea|wish)\s*[:-]?\s*/i, "")
    .trim();
  if (subject && subjectCapability.length >= 3 && subjectCapability.split(/\s+/).length <= 10) {
    const cleaned = cleanCapability(subjectCapability.replace(/[.!?]+$/, ""));
    if (cleaned) return cleaned;
  }
  for (const re of CAPABILITY_PATTERNS) {
    const m = re.exec(text);
    const c = m?.[1] ? cleanCapability(m[1]) : null;
    if (c) return c;
  }
  return null;
}

const IMPACT_SIGNALS: ReadonlyArray<readonly [string, RegExp]> = [
  [
    "integration",
    /\bintegrat\w*|\bgoogle (?:sheets|drive|calendar|docs|fit)\b|\b(?:dropbox|notion|outlook|trello|jira|salesforce|hubspot|shopify|quickbooks|xero|strava|apple health)\b|\bapi\b|\bzapier\b|\bslack\b|\bconnect (?:it )?(?:to|with)\b|\bsync\w*|\bimport from\b/,
  ],
  ["offline use", /\boffline\b|\bwithout (?:internet|signal|connection)|\bno (?:signal|connection)\b/],
  [
    "collaboration",
    /\bcollaborat\w*|\bshar(?:e|ed|ing) (?:\w+ )?(?:with|between)\b|\bshared\b|\bsharing\b|\bfamily (?:plan|members|account)\b|\breal-time editing\b|\bteam\b|\bcolleagues?\b|\bcoworkers?\b/,
  ],
  [
    "many users asking",
    /\bmany (?:users|of (?:us|our)|people|members|customers)\b|\beveryone\b|\blots of (?:users|people)\b|\bmultiple (?:team )?members\b|\b\d{2,}\+? (?:people|users|employees|students|members|staff|seats)\b|\bour (?:whole |entire )?(?:company|organi[sz]ation|department|offices?|community|members|class|students|users|customers)\b|\b(?:most )?requested\b/,
  ],
  [
    "security or privacy",
    /\bsecurity\b|\bdata protection\b|\bgdpr\b|\bhipaa\b|\bon-?premise\b|\bself-hosted\b|\bprivacy\b|\bencrypt\w*|\btwo-factor\b|\b2fa\b|\bsso\b|\bsingle sign-on\b|\bpin\b(?= for| code| lock)|\bwith a pin\b|\baudit\w*|\b(?:read-only|admin) roles?\b|\bpermissions?\b|\bcompliance\b|\brole-based\b/,
  ],
  [
    "accessibility",
    /\baccessib\w*|\bscreen ?readers?\b|\bvoiceover\b|\btalkback\b|\bcontrast\b|\b(?:larger|bigger) (?:text|font)|\bfont size\b|\bhard of hearing\b|\bsubtitles\b|\bcaptions\b|\bvisually impaired\b|\blow vision\b|\bblind\b|\bdeaf\b|\bcan'?t read\b|\b(?:text|font|letters|buttons) (?:bigger|larger)\b|\bhard (?:for me )?to read\b|\bi'?m [6-9]\d\b|\belderly\b/,
  ],
  [
    "business need",
    /\b(?:finance|compliance|security|it) (?:department|team|policy)\b|\benterprise\b|\brequirements? for\b|\brequired by\b/,
  ],
];

export function analyseFeature(item: FeedbackItem, e: Evidence): FeatureAnalysis {
  const text = `${e.subject} ${e.body}`;
  const signals = IMPACT_SIGNALS.map(([why, re]) => [why, re.exec(text)?.[0]] as const).filter(([, m]) => m);
  const reasons = signals.map(([why]) => why);
  const lowRating = item.rating !== null && item.rating <= 3;
  if (lowRating) reasons.push(`low rating (${item.rating}/5) until it exists`);
  const capability = extractCapability(item.text.replace(/\s+/g, " "), (item.subject ?? "").trim());
  const impactSentence = sentences(item.text).find((s) =>
    /\b(?:because|so that|as an?|i use|we use|i need|we need|(?:our|my) (?:\w+ )?(?:team|staff|users|students|members|clients|customers|company|organi[sz]ation|eyes|kids|family|work)|for work|every day|daily|at night|i travel|would save|would help|would make|would greatly|requirements?|requires?)\b/i.test(
      s,
    ),
  );
  // The impact quotes what the text said ("offline", "our whole company"), not the bucket it fell in,
  // so it never names a topic the text lacks.
  const mentions = [
    ...(signals.length > 0 ? [`mentions ${signals.map(([, m]) => `"${m}"`).join(", ")}`] : []),
    ...(lowRating ? [`rated ${item.rating}/5`] : []),
  ];
  const userImpact = impactSentence
    ? impactSentence.slice(0, 200)
    : mentions.length > 0
      ? capitalise(mentions.join("; "))
      : null;
  return {
    requestedCapability: capability,
    userImpact,
    impactLevel: reasons.length > 0 ? "high" : "normal",
    impactReasons: reasons,
  };
}
