import type { Ticket, TicketDetail } from "../../sdk/schemas/ticket.js";
import { safeText, table } from "./format.js";

export function ticketsText(list: { items: Ticket[]; total: number }, offset: number): string {
  if (list.items.length === 0) return "No tickets match.";
  const rows = list.items.map((t) => [
    t.id,
    t.priority,
    t.category,
    t.status,
    t.confidence.toFixed(2),
    safeText(t.title),
  ]);
  const shown = `Showing ${offset + 1}-${offset + list.items.length} of ${list.total}.`;
  return `${table(["ID", "PRIORITY", "CATEGORY", "STATUS", "CONF", "TITLE"], rows, [36, 8, 15, 12, 4, 80])}\n${shown}`;
}

export function ticketText(t: TicketDetail): string {
  const details = Object.entries(t.technicalDetails)
    .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `  ${k}: ${safeText(Array.isArray(v) ? v.join("; ") : String(v))}`);
  const lines = [
    `${safeText(t.title)}`,
    `id ${t.id}  ${t.priority} · ${t.category} · ${t.status} · confidence ${t.confidence.toFixed(2)}${t.qualityScore ? ` · quality ${t.qualityScore}/10` : ""}`,
    `source ${t.sourceType} ${t.sourceId}${t.channel ? ` (${t.channel})` : ""}${t.language ? ` · language ${t.language}` : ""} · created ${t.createdAt}`,
    "",
    safeText(t.description),
  ];
  if (details.length) lines.push("", "Technical details:", ...details);
  if (t.reviewReasons.length)
    lines.push("", "Needs review because:", ...t.reviewReasons.map((r) => `  - ${safeText(r)}`));
  if (t.logs.length) {
    lines.push("", "Processing log:");
    for (const log of t.logs) {
      const conf = log.confidence !== null ? ` conf ${log.confidence.toFixed(2)}` : "";
      lines.push(`  ${log.agent}/${log.action}${conf} ${log.durationMs.toFixed(2)} ms`);
    }
  }
  if (t.history.length) {
    lines.push("", "History:");
    for (const h of t.history)
      lines.push(`  ${h.changedAt} ${h.actor}: ${JSON.stringify(h.before)} -> ${JSON.stringify(h.after)}`);
  }
  return lines.join("\n");
}
