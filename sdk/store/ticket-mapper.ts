import type { Ticket as TicketRow } from "../db/generated/client.js";
import { Ticket } from "../schemas/ticket.js";

export function toTicket(row: TicketRow): Ticket {
  return Ticket.parse({
    id: row.id,
    sourceType: row.sourceType,
    sourceId: row.sourceId,
    channel: row.channel,
    title: row.title,
    description: row.description,
    category: row.category,
    priority: row.priority,
    confidence: row.confidence,
    technicalDetails: row.technicalDetails ?? {},
    status: row.status,
    qualityScore: row.qualityScore,
    reviewReasons: row.reviewReasons ?? [],
    contentHash: row.contentHash,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  });
}
