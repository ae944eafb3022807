import type { Ticket, TicketDetail } from "../../../sdk/schemas/ticket.js";

/** Ticket number `n` (1-9) as the browser lists it: its id is n repeated. */
export function ticket(n: number, overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: `${String(n).repeat(8)}-0000-4000-8000-00000000000${n}`,
    sourceType: "app_store_review",
    sourceId: `review-${n}`,
    channel: null,
    title: `[BUG] Crash number ${n}`,
    description: "It crashes.",
    category: "Bug",
    priority: "High",
    confidence: 0.9,
    technicalDetails: {},
    status: "needs_review",
    qualityScore: 7,
    reviewReasons: [],
    language: "en",
    submittedAt: null,
    app: null,
    contentHash: "0".repeat(64),
    reach: 1,
    version: 1,
    createdAt: "2026-12-06T10:00:00.000Z",
    updatedAt: "2026-12-06T10:00:00.000Z",
    ...overrides,
  };
}

export function ticketDetail(n: number, overrides: Partial<TicketDetail> = {}): TicketDetail {
  return {
    ...ticket(n),
    feedback: {
      text: "First line.\nSecond line after a break.",
      author: "ana@example.com",
      rating: 2,
      submittedAt: "2026-12-01T09:30:00.000Z",
    },
    logs: [],
    items: [],
    firstSeenAt: null,
    lastSeenAt: null,
    versions: [],
    platforms: [],
    quotes: [],
    mergedInto: null,
    regressedAt: null,
    history: [
      {
        actor: "maria",
        reason: "checked",
        before: { priority: "Medium" },
        after: { priority: "High" },
        changedAt: "2026-12-06T11:00:00.000Z",
      },
    ],
    ...overrides,
  };
}
