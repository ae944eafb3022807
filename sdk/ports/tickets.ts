import type { Category, FeedbackItem, Priority } from "../schemas/feedback.js";
import type {
  ProcessingLogEntry,
  Ticket,
  TicketDetail,
  TicketPatch,
  TicketQueryInput,
  TicketStatus,
  TriageRewrite,
} from "../schemas/ticket.js";

export interface NewTicket {
  id: string;
  item: FeedbackItem;
  title: string;
  description: string;
  category: Category;
  priority: Priority;
  confidence: number;
  technicalDetails: Record<string, unknown>;
  status: TicketStatus;
  qualityScore: number | null;
  reviewReasons: string[];
  /** ISO 639-1 code of the feedback's language; null or absent when undetermined. */
  language?: string | null;
  logs: ProcessingLogEntry[];
  messageId: string | null;
}

export interface TicketCounts {
  total: number;
  byPriority: Record<string, number>;
  byCategory: Record<string, number>;
  byStatus: Record<string, number>;
}

export interface TicketPage {
  items: Ticket[];
  /** Matching tickets, exact up to 10,000 (counting further costs a scan and tells nobody more). */
  total: number;
  /** More than `total` match. */
  totalCapped: boolean;
}

/** A triaged ticket and the queue message it came from. */
export interface TriagedTicket {
  ticket: NewTicket;
  receiptHandle: string;
}

export interface CommitResult {
  created: string[];
  /** (sourceType, sourceId) keys that already had a ticket: redelivery, nothing written. */
  duplicates: string[];
  /** Receipt handles still this worker's at commit time; the others' results were dropped (taken over). */
  owned: Set<string>;
}

/** A message that failed processing, recorded in processing_logs before it is released for retry. */
export interface ProcessingFailure {
  sourceType: string;
  sourceId: string;
  messageId: string;
  error: string;
  receiveCount: number;
}

export interface UpdateMeta {
  actor: string;
  reason?: string;
  expectedVersion?: number;
  /** The crew's processing logs of a re-triage; written only when the ticket changes. */
  logs?: readonly ProcessingLogEntry[];
}

/** A ticket brought over from another system: written as it was (its own creation time), with a history entry. */
export interface ImportedTicket {
  ticket: NewTicket;
  /** ISO 8601: when the other system created it. */
  createdAt: string;
  /** Recorded in the ticket's history as `after` (e.g. the other system's ticket id). */
  origin: Record<string, unknown>;
}

export interface TicketRepository {
  /**
   * One index-backed query (filters, full-text word-prefix search, sort, page) for every front end:
   * the same query finds the same tickets in the CLI, the dashboard and the export.
   */
  list(query?: TicketQueryInput): Promise<TicketPage>;
  /**
   * Every ticket the query matches (limit and offset ignored), in the query's order, one page of
   * `pageSize` at a time by keyset: constant memory and constant cost per page, however many match.
   */
  stream(query?: TicketQueryInput, pageSize?: number): AsyncIterable<Ticket[]>;
  /** Ids of the tickets a bulk action applies to, oldest first, at most `limit`. */
  matchingIds(query: TicketQueryInput, limit: number): Promise<{ ids: string[]; more: boolean }>;
  get(id: string): Promise<TicketDetail | null>;
  /**
   * The ids a typed id may mean: a whole id (if it exists) or the ids starting with a prefix of at least
   * MIN_ID_PREFIX hex digits (sdk/schemas/id-prefix.ts), in id order, at most ID_CANDIDATES. One is a
   * match, several an ambiguous prefix, none unknown; anything else given finds none.
   */
  resolveId(given: string): Promise<string[]>;
  /**
   * Changes a ticket and records the change (before/after) in its history, in one transaction. A manual
   * change is a TicketPatch; a re-triage a TriageRewrite, which may also carry the crew's processing logs
   * for the re-run (appended with the change).
   */
  update(id: string, patch: TicketPatch | TriageRewrite, meta: UpdateMeta): Promise<Ticket>;
  counts(): Promise<TicketCounts>;
  /** Which of these `sourceType:sourceId` keys already have a ticket. */
  existingKeys(keys: readonly string[]): Promise<Set<string>>;
  /**
   * Writes the tickets with their feedback items and processing logs and acknowledges their messages;
   * the adapter picks how (inside the ticket transaction for the embedded queue, right after the commit
   * for SQS). Idempotent on (source type, source id).
   */
  commitTriaged(entries: readonly TriagedTicket[]): Promise<CommitResult>;
  /**
   * Writes tickets from another system in one transaction, each with a history entry by `actor` giving
   * `reason`. Idempotent on (source type, source id) and on the ticket id: existing ones are reported
   * as duplicates and left untouched.
   */
  importTickets(
    entries: readonly ImportedTicket[],
    meta: { actor: string; reason: string },
  ): Promise<{ created: string[]; duplicates: string[] }>;
  /** Records why a message failed (processing_logs), before the worker releases it for retry. */
  recordFailure(failure: ProcessingFailure): Promise<void>;
}

export type { ProcessingLogEntry };

/** The one question ingest asks the ticket store: which items already have a ticket (so it skips them). */
export type ExistingTicketKeys = Pick<TicketRepository, "existingKeys">;
