import type { Ticket as TicketRow } from "../db/generated/client.js";
import type { Category, Priority, SourceType } from "../schemas/feedback.js";
import type { TechnicalDetails, Ticket, TicketStatus } from "../schemas/ticket.js";

/** A row of our own tickets table: its CHECK constraints already hold the enums and ranges, so no re-validation. */
export function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    sourceType: row.sourceType as SourceType,
    sourceId: row.sourceId,
    channel: row.channel,
    title: row.title,
    description: row.description,
    category: row.category as Category,
    priority: row.priority as Priority,
    confidence: row.confidence,
    technicalDetails: (row.technicalDetails ?? {}) as TechnicalDetails,
    status: row.status as TicketStatus,
    qualityScore: row.qualityScore,
    reviewReasons: (row.reviewReasons ?? []) as string[],
    language: row.language,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    app: row.app,
    contentHash: row.contentHash,
    reach: row.reach,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
