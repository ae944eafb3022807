import type { Category, Priority, SourceType } from "../schemas/feedback.js";
import type { GroupingStatus, MergeSuggestion, ReachPriorityRule } from "../schemas/grouping.js";
import type { TicketStatus } from "../schemas/ticket.js";

/** A ticket as the grouping stage compares it: its own item's text and the structured facts beside it. */
export interface GroupingItem {
  ticketId: string;
  feedbackItemId: string;
  sourceId: string;
  sourceType: SourceType;
  app: string | null;
  category: Category;
  status: TicketStatus;
  priority: Priority;
  title: string;
  text: string;
  appVersion: string | null;
  platform: string | null;
  affectedFeature: string | null;
  reach: number;
  createdAt: Date;
}

/** What the grouping stage decided for one pending ticket. */
export type GroupingDecision =
  | { kind: "own"; ticketId: string }
  | { kind: "join"; ticketId: string; targetId: string; similarity: number }
  | { kind: "suggest"; ticketId: string; targetId: string; similarity: number };

export interface GroupingApplied {
  joined: number;
  suggested: number;
  /** Closed tickets a new report reopened. */
  reopened: string[];
  /** Tickets whose priority rose with their reach. */
  raised: string[];
}

/** Who folds items into a ticket, and why (recorded in both tickets' history). */
export interface MergeMeta {
  actor: string;
  reason?: string;
  similarity?: number | null;
}

/** (app, category) scopes the grouping stage compares within: grouping never crosses apps. */
export interface GroupingScope {
  app: string | null;
  category: Category;
}

/**
 * The duplicate-grouping side of the ticket store: the async stage's backlog and candidates, the items'
 * embeddings (computed once), folding tickets into groups and back, and grey-zone merge suggestions.
 */
export interface TicketGrouping {
  /** Tickets written but not yet looked at by the grouping stage, oldest first. */
  pending(limit: number): Promise<GroupingItem[]>;
  /**
   * Tickets an item of the scope may join: not folded, already grouped, open (open, needs_review, approved) or
   * closed since `closedSince`; the most recently seen first, at most `perScope` of each scope.
   */
  candidates(scopes: readonly GroupingScope[], closedSince: Date, perScope: number): Promise<GroupingItem[]>;
  /** Stored embeddings of these feedback items by `model`. */
  embeddings(feedbackItemIds: readonly string[], model: string): Promise<Map<string, Float32Array>>;
  saveEmbeddings(model: string, rows: readonly { feedbackItemId: string; vector: ArrayLike<number> }[]): Promise<void>;
  /**
   * Applies the stage's decisions in one transaction: joins fold the ticket into the target (a closed target is
   * reopened as a regression), suggestions are recorded, every ticket is marked grouped, and targets' priority
   * rises by `priorityRules`. A ticket grouped meanwhile (or folded by hand) is skipped.
   */
  apply(decisions: readonly GroupingDecision[], priorityRules: readonly ReachPriorityRule[]): Promise<GroupingApplied>;
  /** Folds each ticket (with its whole group) into `into`, in one transaction, with history on both sides. */
  merge(into: string, ids: readonly string[], meta: MergeMeta): Promise<void>;
  /**
   * Takes one item (its source id, or `sourceType:sourceId`) out of a ticket's group back to its own ticket;
   * returns that ticket's id.
   */
  unmerge(ticketId: string, item: string, meta: MergeMeta): Promise<string>;
  suggestions(status?: MergeSuggestion["status"], limit?: number): Promise<MergeSuggestion[]>;
  /** Accepts (merges) or dismisses a pending suggestion. */
  decideSuggestion(id: string, decision: "accepted" | "dismissed", meta: MergeMeta): Promise<MergeSuggestion>;
  status(): Promise<Omit<GroupingStatus, "enabled">>;
  /**
   * E-mail replies written since `since` whose thread already has a ticket: the reply's own ticket (not folded) and
   * the group the thread's earliest message with a ticket belongs to (References in order, then In-Reply-To), of
   * the same app. At most `limit`.
   */
  threadReplies(since: Date, limit: number): Promise<ThreadReply[]>;
}

/** A reply to attach: its ticket, the ticket of its thread, and the Message-ID that links them. */
export interface ThreadReply {
  ticketId: string;
  threadTicketId: string;
  messageId: string;
}
