import { z } from "zod";
import { Category, Priority, SourceType } from "./feedback.js";

/** Priority by reach and recency: a group with at least `minReach` items written in the last `withinDays` days is at least `priority`. */
export const ReachPriorityRule = z.object({
  minReach: z.number().int().min(2),
  withinDays: z.number().positive().max(3650),
  priority: Priority,
});
export type ReachPriorityRule = z.infer<typeof ReachPriorityRule>;

/** The `grouping` configuration: duplicate grouping on or off and how it decides. */
export const GroupingSettings = z
  .object({
    /** Off by default: the async grouping stage then leaves every item its own ticket. */
    enabled: z.boolean().default(false),
    /** Categories whose items are grouped (praise and spam gain nothing from it). */
    categories: z.array(Category).default(["Bug", "Feature Request", "Complaint"]),
    /** A match with a ticket closed at most this many days ago reopens it as a regression. */
    closedWithinDays: z.number().min(0).max(3650).default(30),
    /** From this score the item joins the ticket. */
    joinThreshold: z.number().min(0).max(2).default(0.65),
    /** From this score (below join) the item keeps its own ticket with a merge suggestion. */
    suggestThreshold: z.number().min(0).max(2).default(0.55),
    priorityRules: z.array(ReachPriorityRule).default([]),
  })
  .refine((s) => s.suggestThreshold <= s.joinThreshold, {
    message: "suggestThreshold must not exceed joinThreshold",
    path: ["suggestThreshold"],
  });
export type GroupingSettings = z.infer<typeof GroupingSettings>;

/** One feedback item of a ticket's group, as `tickets show` lists it. */
export const TicketItemView = z.object({
  sourceId: z.string(),
  sourceType: SourceType,
  /** When the feedback was written, else when it was received. */
  date: z.iso.datetime({ offset: true }),
  text: z.string(),
  /** "triage" (the ticket's own item), "grouping", "migration", or the operator who merged it. */
  addedBy: z.string(),
  similarity: z.number().nullable(),
});
export type TicketItemView = z.infer<typeof TicketItemView>;

export const Quote = z.object({ sourceId: z.string(), text: z.string() });

export const MERGE_SUGGESTION_STATUSES = ["pending", "accepted", "dismissed"] as const;

/** A grey-zone match: the ticket kept its own and may be merged into the target. */
export const MergeSuggestion = z.object({
  id: z.string(),
  ticketId: z.uuid(),
  ticketTitle: z.string(),
  targetId: z.uuid(),
  targetTitle: z.string(),
  app: z.string().nullable(),
  score: z.number(),
  status: z.enum(MERGE_SUGGESTION_STATUSES),
  createdAt: z.iso.datetime({ offset: true }),
});
export type MergeSuggestion = z.infer<typeof MergeSuggestion>;

/** The async grouping stage at a glance (`feedback-cli status`). */
export const GroupingStatus = z.object({
  enabled: z.boolean(),
  /** Tickets written but not yet compared (the stage's backlog). */
  pending: z.number().int(),
  /** Age of the oldest pending ticket in seconds (0 when none). */
  lagSeconds: z.number(),
  pendingSuggestions: z.number().int(),
  /** Tickets folded into another's group so far. */
  merged: z.number().int(),
});
export type GroupingStatus = z.infer<typeof GroupingStatus>;
