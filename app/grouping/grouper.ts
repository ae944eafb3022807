import type { GroupingDecision } from "../../sdk/ports/grouping.js";
import { type Comparable, cosine, type Similarity, similarity } from "./similarity.js";

/** How likely two reports state one problem (the hand-weighted signals by default, or a fitted classifier). */
export type PairScorer = (a: Comparable, b: Comparable) => Similarity;

/** A ticket (or one item of its group) the grouper compares with. */
export interface GroupMember extends Comparable {
  ticketId: string;
  /** Grouping never crosses apps, nor categories: only members of the same scope are compared. */
  scope: string;
}

export interface Thresholds {
  joinThreshold: number;
  suggestThreshold: number;
}

/** Items that speak for one ticket in later comparisons: its own and the first few that joined it. */
export const MEMBERS_PER_TICKET = 4;
/** Below this cosine no structured signal lifts a pair to the grey zone: skipped without reading its features. */
const COSINE_FLOOR = 0.3;

export const scopeKey = (app: string | null, category: string) => `${app ?? ""}\u0000${category}`;

/** The best match of `item` among `members`: the ticket and the score (gated matches never join). */
export function bestMatch(
  item: Comparable,
  members: readonly GroupMember[],
  scorer: PairScorer = similarity,
): { ticketId: string; score: number; gated: boolean } | null {
  let best: { ticketId: string; score: number; gated: boolean } | null = null;
  for (const member of members) {
    if (cosine(item.vector, member.vector) < COSINE_FLOOR) continue;
    const s = scorer(item, member);
    if (!best || s.score > best.score) best = { ticketId: member.ticketId, score: s.score, gated: s.gated };
  }
  return best;
}

/**
 * Online grouping: each pending item, in order, joins the best-matching ticket of its scope from the join
 * threshold (and then also speaks for that group in later comparisons), gets a merge suggestion in the grey zone
 * (from the suggest threshold, or a gated match above join), or stays its own ticket and becomes a candidate for
 * the items after it. `members` grows as it goes (pass a copy to keep yours).
 */
export function decideGroups(
  pending: readonly GroupMember[],
  members: GroupMember[],
  thresholds: Thresholds,
  scorer: PairScorer = similarity,
): GroupingDecision[] {
  const byScope = new Map<string, GroupMember[]>();
  for (const member of members) {
    const list = byScope.get(member.scope);
    if (list) list.push(member);
    else byScope.set(member.scope, [member]);
  }
  const speakers = new Map<string, number>();
  for (const member of members) speakers.set(member.ticketId, (speakers.get(member.ticketId) ?? 0) + 1);
  const decisions: GroupingDecision[] = [];
  for (const item of pending) {
    const list = byScope.get(item.scope) ?? [];
    if (!byScope.has(item.scope)) byScope.set(item.scope, list);
    const best = bestMatch(
      item,
      list.filter((m) => m.ticketId !== item.ticketId),
      scorer,
    );
    const similarity = best ? Number(best.score.toFixed(4)) : 0;
    if (best && !best.gated && best.score >= thresholds.joinThreshold) {
      decisions.push({ kind: "join", ticketId: item.ticketId, targetId: best.ticketId, similarity });
      const speaking = speakers.get(best.ticketId) ?? 0;
      if (speaking < MEMBERS_PER_TICKET) {
        list.push({ ...item, ticketId: best.ticketId });
        speakers.set(best.ticketId, speaking + 1);
      }
      continue;
    }
    if (best && best.score >= thresholds.suggestThreshold)
      decisions.push({ kind: "suggest", ticketId: item.ticketId, targetId: best.ticketId, similarity });
    else decisions.push({ kind: "own", ticketId: item.ticketId });
    list.push(item);
    speakers.set(item.ticketId, 1);
  }
  return decisions;
}
