import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import { BUG_CUES } from "./lexicon/bug.js";
import { FEATURE_CUES } from "./lexicon/feature.js";
import {
  COMPLAINT_CUES,
  IRONY_TAG_RE,
  JUST_KIDDING_RE,
  MONEY_DEMAND_CUES,
  PRAISE_CUES,
  SARCASM_RE,
} from "./lexicon/sentiment.js";
import { assessSpam, type SpamAssessment } from "./spam.js";
import { type Hit, isHedgedAt, normalise, type ScanResult, scan, sumWeights } from "./text.js";

/** Weighted evidence per category, gathered once and shared by every role of the crew. */
export interface Evidence {
  readonly body: string;
  readonly subject: string;
  readonly bug: number;
  readonly feature: number;
  readonly praise: number;
  readonly complaint: number;
  readonly moneyDemand: number;
  readonly spam: SpamAssessment;
  readonly sarcasm: boolean;
  readonly bugHits: readonly Hit[];
  readonly signals: readonly string[];
}

/** The subject of an e-mail is a strong, deliberate summary: its cues count one and a half times. */
const SUBJECT_WEIGHT = 1.5;
const SUBJECT_FEATURE = /^(?:(?:re|fwd?|aw):\s*)*(?:feature request|suggestion|request|idea|wish|proposal for)\b/;
const SUBJECT_BUG = /\bbug report\b|^(?:(?:re|fwd?):\s*)*bug\b/;
const SUBJECT_PRAISE = /^(?:(?:re|fwd?):\s*)*(?:thank|thanks|kudos|love|loving|great job|praise)\b/;

interface Scans {
  bug: ScanResult;
  feature: ScanResult;
  praise: ScanResult;
  complaint: ScanResult;
  money: ScanResult;
}

function scanAll(text: string): Scans {
  return {
    bug: scan(text, BUG_CUES),
    feature: scan(text, FEATURE_CUES),
    praise: scan(text, PRAISE_CUES),
    complaint: scan(text, COMPLAINT_CUES),
    money: scan(text, MONEY_DEMAND_CUES),
  };
}

/** Removes an ironic clause marked "/s" that the author takes back; otherwise reports sarcasm. */
function resolveIronyTag(body: string, rating: number | null): { text: string; ironic: boolean } {
  const tag = IRONY_TAG_RE.exec(body);
  if (!tag) return { text: body, ironic: false };
  const before = body.slice(0, tag.index);
  const clauseStart = Math.max(before.lastIndexOf(". "), before.lastIndexOf("! "), before.lastIndexOf("? ")) + 1;
  const after = body.slice(tag.index + tag[0].length);
  if (JUST_KIDDING_RE.test(after) || (rating ?? 0) >= 4) {
    return { text: `${body.slice(0, clauseStart)} ${after}`.trim(), ironic: false };
  }
  return { text: body, ironic: true };
}

function moneyWeight(text: string, hits: readonly Hit[]): { demand: number; hedged: number } {
  let demand = 0;
  let hedged = 0;
  for (const h of hits) {
    if (isHedgedAt(text, h.index)) hedged += h.weight;
    else demand += h.weight;
  }
  return { demand, hedged };
}

/**
 * "Love it but X" / "great app, however X": what follows the contrast is what the author wants acted on.
 * A malfunction, wish or grievance after such a turn (with praise before it) gets a small bonus.
 */
const CONTRAST =
  /(?:^|[\s,;])(?:but|however|except|although|though|only (?:issue|problem|thing|complaint|downside|gripe)|one (?:issue|problem|thing|complaint|gripe))\b/;
const CONTRAST_BONUS = 1;

function contrastBonus(body: string, b: Scans): { bug: number; feature: number; complaint: number } {
  const m = CONTRAST.exec(body);
  const none = { bug: 0, feature: 0, complaint: 0 };
  // Praise before the turn, or a denied problem ("no crash, but the font is misaligned").
  const before = [...b.praise.hits, ...b.bug.negated, ...b.complaint.negated];
  if (!m || !before.some((h) => h.index < m.index)) return none;
  const after = (s: ScanResult) => (s.hits.some((h) => h.index > m.index) ? CONTRAST_BONUS : 0);
  return { bug: after(b.bug), feature: after(b.feature), complaint: after(b.complaint) };
}

const RATING_PRIORS: Record<number, { bug: number; complaint: number; praise: number }> = {
  1: { bug: 0.3, complaint: 1, praise: 0 },
  2: { bug: 0.3, complaint: 0.7, praise: 0 },
  3: { bug: 0, complaint: 0.3, praise: 0 },
  4: { bug: 0, complaint: 0, praise: 0.6 },
  5: { bug: 0, complaint: 0, praise: 1 },
};

export function gatherEvidence(item: FeedbackItem): Evidence {
  const rating = item.rating;
  const subject = normalise(item.subject ?? "");
  const irony = resolveIronyTag(normalise(item.text), rating);
  const body = irony.text;
  const b = scanAll(body);
  const s = scanAll(subject);
  const w = (main: ScanResult, subj: ScanResult) => sumWeights(main.hits) + SUBJECT_WEIGHT * sumWeights(subj.hits);

  let bug = w(b.bug, s.bug);
  let feature = w(b.feature, s.feature);
  let praise = w(b.praise, s.praise);
  let complaint = w(b.complaint, s.complaint);
  const money = moneyWeight(body, b.money.hits);
  const moneyDemand = money.demand + SUBJECT_WEIGHT * sumWeights(s.money.hits);
  complaint += money.hedged * 0.5;
  const turn = contrastBonus(body, b);
  bug += turn.bug;
  feature += turn.feature;
  complaint += turn.complaint;

  // Absence of problems reads as praise ("never crashes"); denied praise reads as complaint ("not great").
  praise += b.bug.negated.length + b.complaint.negated.length;
  complaint += 1.5 * b.praise.negated.length;
  if (SUBJECT_FEATURE.test(subject)) feature += 4;
  if (SUBJECT_BUG.test(subject)) bug += 4;
  if (SUBJECT_PRAISE.test(subject)) praise += 2;

  const sarcasm = irony.ironic || SARCASM_RE.test(body);
  if (sarcasm) {
    complaint += 2 + praise * 0.3;
    praise = 0;
  }
  if (rating !== null) {
    const prior = RATING_PRIORS[rating];
    if (rating <= 2) praise *= 0.4;
    if (prior) {
      bug += prior.bug;
      complaint += prior.complaint;
      praise += prior.praise;
    }
  }
  const spam = assessSpam(`${item.text} ${item.subject ?? ""}`, `${body} ${subject}`);
  const signals = [
    ...b.bug.hits.map((h) => `bug:${h.id}`),
    ...b.feature.hits.map((h) => `feature:${h.id}`),
    ...b.praise.hits.map((h) => `praise:${h.id}`),
    ...b.complaint.hits.map((h) => `complaint:${h.id}`),
    ...b.money.hits.map((h) => `money:${h.id}`),
    ...spam.kinds.map((k) => `spam:${k}`),
    ...(sarcasm ? ["sarcasm"] : []),
  ];
  return {
    body,
    subject,
    bug,
    feature,
    praise,
    complaint,
    moneyDemand,
    spam,
    sarcasm,
    bugHits: [...b.bug.hits, ...s.bug.hits],
    signals: [...new Set(signals)],
  };
}
