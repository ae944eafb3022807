import type { BulkResult, ReviewAction } from "../../app/tickets/tickets-service.js";
import type { Ticket, TicketDetail } from "../../sdk/schemas/ticket.js";
import { safeText } from "./format.js";

const VERB = { approve: "Approve", reject: "Reject" } as const;
const DONE = { approve: "approved", reject: "rejected" } as const;

/** Fields shown with their old and new value; long texts by name only. */
const SHOWN_WITH_VALUES = new Set(["category", "priority", "status", "title"]);

/** `tickets update`: what changed, by whom and why; or that nothing did. */
export function updateText(previousVersion: number, ticket: TicketDetail): string {
  const change = ticket.history.at(-1);
  if (ticket.version === previousVersion || !change) {
    return `Ticket ${ticket.id} unchanged (version ${ticket.version}): it already has these values.`;
  }
  const fields = Object.keys(change.after).map((field) =>
    SHOWN_WITH_VALUES.has(field)
      ? `${field} ${safeText(String(change.before[field]))} -> ${safeText(String(change.after[field]))}`
      : `${field} changed`,
  );
  return [
    `Ticket ${ticket.id} updated to version ${ticket.version}: ${fields.join(", ")}`,
    `  by ${safeText(change.actor)}${change.reason ? `, reason: ${safeText(change.reason)}` : ""}`,
  ].join("\n");
}

/** The confirmation question: how many tickets, and a few of their titles. */
export function confirmText(
  action: ReviewAction,
  preview: { total: number; totalCapped: boolean; sample: Pick<Ticket, "id" | "title" | "status">[]; limit: number },
): string {
  const count = `${preview.total}${preview.totalCapped ? "+" : ""}`;
  const lines = [`${VERB[action]} ${count} ticket${preview.total === 1 ? "" : "s"}?`];
  for (const t of preview.sample) lines.push(`  ${t.id.slice(0, 8)}  ${t.status.padEnd(12)} ${safeText(t.title)}`);
  if (preview.total > preview.sample.length)
    lines.push(`  ... and ${preview.total - preview.sample.length}${preview.totalCapped ? "+" : ""} more`);
  if (preview.total > preview.limit)
    lines.push(`At most ${preview.limit} change in one run (oldest first): run it again for the rest.`);
  return lines.join("\n");
}

/** `tickets approve|reject`: counts, each failure, and whether to run again. */
export function reviewText(result: BulkResult): string {
  if (result.matched === 0) return "No tickets match: nothing changed.";
  const lines = [`${result.updated} of ${result.matched} tickets ${DONE[result.action]}.`];
  for (const f of result.failed) lines.push(`  failed ${f.id}: ${safeText(f.message)}`);
  if (result.more) lines.push("More tickets match than one run handles: run it again.");
  return lines.join("\n");
}
