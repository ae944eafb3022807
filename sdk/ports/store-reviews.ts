import type { FeedbackItem } from "../schemas/feedback.js";
import type { LastPull, PullCursor, StoreSource, StoreSourceState } from "../schemas/store-source.js";

/** One review as a store lists it, normalised; `changedAt` orders the list (newest first) and moves the cursor. */
export interface PulledReview {
  item: FeedbackItem;
  /** ISO 8601: when the review was written or last edited, as the store reports it. */
  changedAt: string;
}

/** A review the store listed that cannot become a feedback item (no text, a bad rating). */
export interface RejectedReview {
  sourceId: string | null;
  message: string;
}

export interface ReviewPage {
  reviews: PulledReview[];
  rejected: RejectedReview[];
  /** What `page` takes to read the next page; null on the last one. */
  next: string | null;
}

/** One store's review list for one app, newest change first, a page at a time. */
export interface ReviewConnector {
  /** `null` reads the first page; otherwise a `next` an earlier page gave (possibly in an earlier process). */
  page(next: string | null): Promise<ReviewPage>;
  /** Posts (or replaces) the developer's public response to a review; when the store took it. */
  reply(reviewId: string, text: string): Promise<{ repliedAt: string }>;
}

/** A developer response posted to a review, as recorded in its ticket's history. */
export interface PostedReply {
  ticketId: string;
  actor: string;
  source: string;
  reviewId: string;
  text: string;
  repliedAt: string;
}

export interface RevisionMeta {
  actor: string;
  reason: string;
}

export interface RevisionResult {
  /** `sourceType:sourceId` keys whose stored item changed: a revision was recorded on its ticket. */
  revised: string[];
  /** Keys already stored with the same text and rating. */
  unchanged: string[];
}

/** The configured store sources, their cursors and last pulls, and the revisions of items they bring. */
export interface StoreSourceRepository {
  list(): Promise<StoreSourceState[]>;
  get(name: string): Promise<StoreSourceState | null>;
  /** Adds a source, or replaces its settings keeping its cursor. */
  save(source: StoreSource): Promise<void>;
  remove(name: string): Promise<boolean>;
  saveCursor(name: string, cursor: PullCursor): Promise<void>;
  recordPull(name: string, lastPull: LastPull): Promise<void>;
  /**
   * Items that already have a feedback item under their source key: one whose text, subject or rating differs
   * replaces the stored item and is recorded in its ticket's history (before/after); no ticket is created.
   * Items with no stored counterpart are in neither list: they are new.
   */
  reviseItems(items: readonly FeedbackItem[], meta: RevisionMeta): Promise<RevisionResult>;
  /** Records a reply posted to the store in the ticket's history. */
  recordReply(reply: PostedReply): Promise<void>;
}
