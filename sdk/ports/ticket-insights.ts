import type { FeedbackItem } from "../schemas/feedback.js";
import type { TicketQuery } from "../schemas/ticket.js";

export interface ModelUsage {
  /** Processing-log entries that carried token usage (one per item and model call share). */
  calls: number;
  /** Items whose processing used a model. */
  items: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  costPerItemUsd: number;
  byModel: Record<string, { tokensIn: number; tokensOut: number; costUsd: number }>;
}

/** How the hybrid crew split the items (each item's latest `router` log entry) and what Claude cost for them. */
export interface CrewRouting {
  /** Items the hybrid crew routed. */
  items: number;
  /** Kept the offline result: offline confidence at or above the threshold. */
  offline: number;
  /** Decided by Claude. */
  claude: number;
  /** Sent to Claude, which failed after its retries: offline result, status needs_review. */
  claudeUnavailable: number;
  /** Share of the items sent to Claude ((claude + claudeUnavailable) / items); 0 without items. */
  claudeShare: number;
  /** Tokens and cost recorded by the Claude crew for the items routed to it. */
  claudeTokensIn: number;
  claudeTokensOut: number;
  claudeCostUsd: number;
  /** Claude cost per 1,000 routed items (all of them, offline ones included). */
  costPer1000ItemsUsd: number;
}

export interface OverviewStats {
  total: number;
  byCategory: Record<string, number>;
  byPriority: Record<string, number>;
  byStatus: Record<string, number>;
  /** Critical tickets still open or waiting for review. */
  openCritical: number;
  averageConfidence: number | null;
  needsReviewShare: number | null;
  /**
   * The last OVERVIEW_DAYS days (UTC), oldest first, every day present; a ticket counts on the day its feedback
   * was written (COALESCE(submittedAt, createdAt)), not the day it was imported.
   */
  perDay: { day: string; byCategory: Record<string, number>; total: number }[];
  createdLast24h: number;
  computedAt: string;
}

/** What the overview may be narrowed to: the tickets of these apps. */
export interface OverviewFilter {
  app?: string[];
}

export interface CountedLabel {
  label: string;
  count: number;
}

export interface AnalyticsData {
  granularity: "day" | "week";
  /**
   * Buckets oldest first: YYYY-MM-DD of the day, or of the Monday starting the week, of the feedback's own time
   * (COALESCE(submittedAt, createdAt)): three months of imported reviews are three months of buckets.
   */
  overTime: { bucket: string; byCategory: Record<string, number>; byPriority: Record<string, number> }[];
  topFeatures: CountedLabel[];
  bugHotspots: { appVersion: CountedLabel[]; platform: CountedLabel[]; device: CountedLabel[] };
  ratings: { rating: string; count: number }[];
  total: number;
}

/** Aggregate reads over the tickets: the dashboard's overview and analytics, exports, usage. */
export interface TicketInsights {
  /** Every figure of the overview from the rollups; `now` fixes the 30-day window (tests); `filter` narrows it to apps. */
  overview(now?: Date, filter?: OverviewFilter): Promise<OverviewStats>;
  analytics(query: TicketQuery, granularity: "day" | "week"): Promise<AnalyticsData>;
  /** The newest feedback time (COALESCE(submittedAt, createdAt)) among the filtered tickets; null without any. */
  latestFeedbackAt(query: TicketQuery): Promise<Date | null>;
  /** The stored feedback items with these source ids. */
  storedFeedbackItems(sourceIds: readonly string[]): Promise<FeedbackItem[]>;
  /** Model calls, tokens and cost recorded by the Claude crew. */
  modelUsage(): Promise<ModelUsage>;
  /** The hybrid crew's split between offline and Claude, and Claude's cost for its share. */
  crewRouting(): Promise<CrewRouting>;
}
