import type { MergeSuggestion } from "../../sdk/schemas/grouping.js";
import type { TicketDetail } from "../../sdk/schemas/ticket.js";
import { safeText, table } from "./format.js";

export function mergeText(ticket: TicketDetail): string {
  return `Ticket ${ticket.id} now has reach ${ticket.reach}: ${safeText(ticket.title)}`;
}

export function unmergeText(result: { ticket: TicketDetail; restored: TicketDetail }): string {
  return [
    `Item back on its own ticket ${result.restored.id}: ${safeText(result.restored.title)}`,
    `Ticket ${result.ticket.id} now has reach ${result.ticket.reach}.`,
  ].join("\n");
}

export function suggestionsText(list: readonly MergeSuggestion[]): string {
  if (list.length === 0) return "No merge suggestions.";
  const rows = list.map((s) => [
    s.id,
    s.score.toFixed(2),
    s.ticketId.slice(0, 8),
    safeText(s.ticketTitle),
    s.targetId.slice(0, 8),
    safeText(s.targetTitle),
  ]);
  return `${table(["ID", "SCORE", "TICKET", "TITLE", "INTO", "TITLE"], rows, [8, 5, 8, 50, 8, 50])}\n${list.length} suggestion(s). Accept with 'feedback-cli tickets suggestions accept <id...>', or dismiss.`;
}

export function groupRunText(r: {
  enabled: boolean;
  looked: number;
  joined: number;
  suggested: number;
  reopened: number;
  raised: number;
}): string {
  if (!r.enabled) return "Grouping is off: 'feedback-cli config set grouping.enabled true' turns it on.";
  return `Grouped ${r.looked} ticket(s): ${r.joined} joined a group, ${r.suggested} with a merge suggestion, ${r.reopened} closed ticket(s) reopened, ${r.raised} priority raise(s).`;
}
