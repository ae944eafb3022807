import type { Category, FeedbackItem, Priority } from "../schemas/feedback.js";
import type {
  ProcessingLogEntry,
  Ticket,
  TicketDetail,
  TicketPatch,
  TicketQueryInput,
  TicketStatus,
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
  logs: ProcessingLogEntry[];
  messageId: string | null;
}

export interface SaveResult {
  created: string[];
  /** (sourceType, sourceId) keys that already had a ticket: redelivery, nothing written. */
  duplicates: string[];
}

export interface TicketCounts {
  total: number;
  byPriority: Record<string, number>;
  byCategory: Record<string, number>;
  byStatus: Record<string, number>;
}

export interface TicketRepository {
  list(query?: TicketQueryInput): Promise<{ items: Ticket[]; total: number }>;
  get(id: string): Promise<TicketDetail | null>;
  update(
    id: string,
    patch: TicketPatch,
    meta: { actor: string; reason?: string; expectedVersion?: number },
  ): Promise<Ticket>;
  counts(): Promise<TicketCounts>;
  /** Which of these `sourceType:sourceId` keys already have a ticket. */
  existingKeys(keys: readonly string[]): Promise<Set<string>>;
}

export type { ProcessingLogEntry };
