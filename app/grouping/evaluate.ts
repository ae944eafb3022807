import { z } from "zod";
import { createRandom } from "../../sdk/ingest/synthetic.js";
import type { SentenceEncoder } from "../../sdk/ports/encoder.js";
import { Category } from "../../sdk/schemas/feedback.js";
import { featuresOf } from "./features.js";
import { decideGroups, type GroupMember, type PairScorer, scopeKey, type Thresholds } from "./grouper.js";
import { WordVectors } from "./word-vectors.js";

/** An evaluation set of paraphrase groups (one problem each) and hard negatives (a problem of their own each). */
export const GroupingEvalSet = z.object({
  groups: z.array(
    z.object({
      id: z.string(),
      split: z.enum(["tune", "heldout"]),
      category: Category,
      items: z.array(z.string().min(1)).min(2),
    }),
  ),
  hardNegatives: z.array(
    z.object({
      id: z.string(),
      split: z.enum(["tune", "heldout"]),
      category: Category,
      /** The group it resembles (and must not join). */
      near: z.string(),
      text: z.string().min(1),
    }),
  ),
});
export type GroupingEvalSet = z.infer<typeof GroupingEvalSet>;

export interface EvalItem extends GroupMember {
  split: "tune" | "heldout";
  /** The problem it reports: its group's id, or the hard negative's own id. */
  problem: string;
  hardNegative: boolean;
  /** The group it belongs to or resembles (folds of the tune half keep a group and its hard negative together). */
  family: string;
}

export interface PairwiseFigures {
  items: number;
  problems: number;
  /** Pairs put in one ticket that report one problem / all pairs put in one ticket. */
  precision: number;
  /** Pairs of one problem put in one ticket / all pairs of one problem. */
  recall: number;
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
  /** Hard negatives folded into the group they resemble (each one a precision loss). */
  hardNegativesJoined: number;
  /** Grey-zone items: own ticket plus a merge suggestion. */
  suggestions: number;
}

/** Embeds every text of the set once (one batched call) and reads its features. */
export async function prepareEvalItems(set: GroupingEvalSet, encoder: SentenceEncoder): Promise<EvalItem[]> {
  const rows = [
    ...set.groups.flatMap((g) =>
      g.items.map((text, i) => ({
        id: `${g.id}.${i}`,
        split: g.split,
        problem: g.id,
        category: g.category,
        text,
        hardNegative: false,
        family: g.id,
      })),
    ),
    ...set.hardNegatives.map((n) => ({
      id: n.id,
      split: n.split,
      problem: n.id,
      category: n.category,
      text: n.text,
      hardNegative: true,
      family: n.near,
    })),
  ];
  const vectors = await encoder.embed(rows.map((r) => r.text));
  const features = rows.map((row) => featuresOf(row.text));
  const wordVectors = await new WordVectors(encoder).of(features);
  return rows.map((row, i) => ({
    ticketId: row.id,
    scope: scopeKey("eval-app", row.category),
    vector: vectors[i]!,
    features: features[i]!,
    wordVectors: wordVectors[i]!,
    split: row.split,
    problem: row.problem,
    hardNegative: row.hardNegative,
    family: row.family,
  }));
}

/** A fixed shuffle, so that arrival order is mixed yet every run sees the same one. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = createRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Runs the grouper as the grouping stage does (items arriving one after another, in a shuffled order) and
 * scores the resulting tickets pairwise against the true problems.
 */
export function evaluateGrouping(
  items: readonly EvalItem[],
  thresholds: Thresholds,
  seed = 15,
  scorer?: PairScorer,
): PairwiseFigures {
  const order = shuffled(items, seed);
  const decisions = decideGroups(order, [], thresholds, scorer);
  const ticketOf = new Map<string, string>();
  let suggestions = 0;
  for (const decision of decisions) {
    if (decision.kind === "join") ticketOf.set(decision.ticketId, ticketOf.get(decision.targetId) ?? decision.targetId);
    else ticketOf.set(decision.ticketId, decision.ticketId);
    if (decision.kind === "suggest") suggestions += 1;
  }
  const problemOf = new Map(items.map((item) => [item.ticketId, item]));
  let truePairs = 0;
  let predictedPairs = 0;
  let correctPairs = 0;
  let hardNegativesJoined = 0;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i]!;
      const b = items[j]!;
      const same = a.problem === b.problem;
      const together = ticketOf.get(a.ticketId) === ticketOf.get(b.ticketId);
      if (same) truePairs += 1;
      if (together) predictedPairs += 1;
      if (same && together) correctPairs += 1;
    }
  }
  for (const item of items) {
    if (!item.hardNegative) continue;
    const ticket = ticketOf.get(item.ticketId);
    if (
      items.some(
        (o) => o !== item && ticketOf.get(o.ticketId) === ticket && problemOf.get(o.ticketId)?.problem !== item.problem,
      )
    )
      hardNegativesJoined += 1;
  }
  return {
    items: items.length,
    problems: new Set(items.map((i) => i.problem)).size,
    precision: predictedPairs ? correctPairs / predictedPairs : 1,
    recall: truePairs ? correctPairs / truePairs : 1,
    truePairs,
    predictedPairs,
    correctPairs,
    hardNegativesJoined,
    suggestions,
  };
}

export interface TuneOptions {
  minPrecision?: number;
  greyWidth?: number;
  scorer?: PairScorer;
  /** The join thresholds tried, from `highest` down to `lowest` by 0.01. */
  highest?: number;
  lowest?: number;
}

/**
 * The join threshold fitted on the tune items: the highest recall whose precision (averaged over a few arrival
 * orders) is at least `minPrecision`, ties to the higher threshold; the grey zone below it is `greyWidth` wide.
 * When no threshold tried reaches the precision, one above them all (nothing joins).
 */
export function tuneThresholds(
  tune: readonly EvalItem[],
  options: TuneOptions = {},
): Thresholds & { precision: number; recall: number } {
  const { minPrecision = 0.95, greyWidth = 0.1, scorer, highest = 0.95, lowest = 0.5 } = options;
  let best: (Thresholds & { precision: number; recall: number }) | null = null;
  for (let t = highest; t >= lowest - 1e-9; t -= 0.01) {
    const joinThreshold = Number(t.toFixed(2));
    const thresholds = { joinThreshold, suggestThreshold: Math.max(0, joinThreshold - greyWidth) };
    const runs = [1, 2, 3, 4, 5].map((seed) => evaluateGrouping(tune, thresholds, seed, scorer));
    const precision = runs.reduce((s, r) => s + r.precision, 0) / runs.length;
    const recall = runs.reduce((s, r) => s + r.recall, 0) / runs.length;
    if (precision >= minPrecision && (!best || recall > best.recall)) best = { ...thresholds, precision, recall };
  }
  // None reaches the precision: above every score tried, nothing joins (precision 1 by convention, recall 0).
  const above = Number((highest + 0.01).toFixed(2));
  return best ?? { joinThreshold: above, suggestThreshold: above - greyWidth, precision: 1, recall: 0 };
}
