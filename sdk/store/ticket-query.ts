import type { Prisma } from "../db/generated/client.js";
import type { TicketQuery } from "../schemas/ticket.js";

export function ticketWhere(query: TicketQuery): Prisma.TicketWhereInput {
  const where: Prisma.TicketWhereInput = {};
  if (query.priority?.length) where.priority = { in: query.priority };
  if (query.category?.length) where.category = { in: query.category };
  if (query.status?.length) where.status = { in: query.status };
  if (query.sourceType?.length) where.sourceType = { in: query.sourceType };
  if (query.since || query.until) where.createdAt = { gte: query.since, lt: query.until };
  if (query.search) {
    where.OR = [
      { title: { contains: query.search, mode: "insensitive" } },
      { description: { contains: query.search, mode: "insensitive" } },
      { sourceId: { equals: query.search } },
    ];
  }
  return where;
}

/**
 * Priority sorts by severity, not alphabetically: "desc" puts Critical first. Ties break on recency
 * and id so that pages are stable.
 */
export function ticketOrder(query: TicketQuery): Prisma.TicketOrderByWithRelationInput[] {
  const direction = query.sortOrder;
  if (query.sortBy === "priority") {
    const severity = direction === "desc" ? "asc" : "desc";
    return [{ priorityRank: severity }, { createdAt: "desc" }, { id: "desc" }];
  }
  return [{ [query.sortBy]: direction }, { id: direction }];
}
