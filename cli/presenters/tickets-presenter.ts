import type { RetriageChange, RetriageSummary } from "../../app/tickets/retriage.js";
import type { Ticket, TicketDetail } from "../../sdk/schemas/ticket.js";
import { safeMultiline, safeText, table } from "./format.js";

/** The tickets table; `columns` is the terminal's width (ids shortened and titles cut to fit), undefined when piped. */
export function ticketsText(list: { items: Ticket[]; total: number }, offset: number, columns?: number): string {
  if (list.items.length === 0) return "No tickets match.";
  const rows = list.items.map((t) => [
    t.id,
    t.priority,
    t.category,
    t.status,
    t.confidence.toFixed(2),
    String(t.reach),
    safeText(t.title),
  ]);
  const shown = `Showing ${offset + 1}-${offset + list.items.length} of ${list.total}.`;
  return `${table(["ID", "PRIORITY", "CATEGORY", "STATUS", "CONF", "REACH", "TITLE"], rows, {
    maxWidths: [36, 8, 15, 12, 4, 5, 80],
    ids: [0],
    shrink: [2, 6],
    columns,
  })}\n${shown}`;
}

export function ticketText(t: TicketDetail): string {
  const details = Object.entries(t.technicalDetails)
    .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `  ${k}: ${safeText(Array.isArray(v) ? v.join("; ") : String(v))}`);
  const lines = [
    `${safeText(t.title)}`,
    `id ${t.id}  ${t.priority} · ${t.category} · ${t.status} · confidence ${t.confidence.toFixed(2)}${t.qualityScore ? ` · quality ${t.qualityScore}/10` : ""}`,
    `source ${t.sourceType} ${t.sourceId}${t.channel ? ` (${t.channel})` : ""}${t.language ? ` · language ${t.language}` : ""} · created ${t.createdAt}`,
    ...(t.app || t.submittedAt
      ? [
          [t.app ? `app ${safeText(t.app)}` : null, t.submittedAt ? `submitted ${t.submittedAt}` : null]
            .filter(Boolean)
            .join(" · "),
        ]
      : []),
    ...feedbackLines(t.feedback),
    "",
    safeMultiline(t.description),
  ];
  if (details.length) lines.push("", "Technical details:", ...details);
  lines.push("", ...groupText(t));
  if (t.reviewReasons.length)
    lines.push("", "Needs review because:", ...t.reviewReasons.map((r) => `  - ${safeText(r)}`));
  if (t.logs.length) {
    lines.push("", "Processing log:");
    for (const log of t.logs) {
      const conf = log.confidence !== null ? ` conf ${log.confidence.toFixed(2)}` : "";
      lines.push(`  ${log.agent}/${log.action}${conf} ${log.durationMs.toFixed(2)} ms${routeText(log.result)}`);
    }
  }
  if (t.history.length) {
    lines.push("", "History:");
    for (const h of t.history)
      lines.push(
        `  ${h.changedAt} ${safeText(h.actor)}: ${JSON.stringify(h.before)} -> ${JSON.stringify(h.after)}${h.reason ? ` (${safeText(h.reason)})` : ""}`,
      );
  }
  return lines.join("\n");
}

/** Who wrote the feedback, when, and the stars they gave: what an operator weighs first. */
function feedbackLines(feedback: TicketDetail["feedback"]): string[] {
  if (!feedback) return [];
  const text = (value: unknown) => (typeof value === "string" && value.trim() ? safeText(value) : null);
  const rating =
    typeof feedback.rating === "number"
      ? `${"★".repeat(feedback.rating)}${"☆".repeat(5 - feedback.rating)} (${feedback.rating}/5)`
      : null;
  const parts = [
    text(feedback.author) && `by ${text(feedback.author)}`,
    text(feedback.submittedAt) && `written ${text(feedback.submittedAt)}`,
    rating,
    text(feedback.appVersion) && `version ${text(feedback.appVersion)}`,
    text(feedback.device) && `on ${text(feedback.device)}`,
  ].filter(Boolean);
  return parts.length ? [parts.join(" · ")] : [];
}

/** Reach, when seen, versions and platforms, and the group's items (or where this ticket's item went). */
function groupText(t: TicketDetail): string[] {
  if (t.mergedInto) return [`Merged into ${t.mergedInto}: its item counts in that ticket's reach.`];
  const lines = [
    `Reach ${t.reach} item(s)${t.firstSeenAt ? ` · first seen ${t.firstSeenAt}` : ""}${t.lastSeenAt ? ` · last seen ${t.lastSeenAt}` : ""}${t.regressedAt ? ` · regression (reopened ${t.regressedAt})` : ""}`,
  ];
  if (t.versions.length || t.platforms.length)
    lines.push(
      `  versions ${safeText(t.versions.join(", ") || "-")} · platforms ${safeText(t.platforms.join(", ") || "-")}`,
    );
  if (t.items.length > 1) {
    lines.push("Items:");
    for (const item of t.items)
      lines.push(
        `  ${item.date} ${item.sourceType} ${safeText(item.sourceId)}${item.similarity !== null ? ` (${item.similarity.toFixed(2)})` : ""}: ${safeText(item.text.slice(0, 120))}`,
      );
  }
  return lines;
}

/** The hybrid router's decision after its log line: " -> claude (confidence 0.62 < 0.85)". */
function routeText(result: Record<string, unknown>): string {
  const { path, reason } = result;
  return typeof path === "string" && typeof reason === "string" ? ` -> ${path} (${safeText(reason)})` : "";
}

/** Fields shown with their old and new value; the others (long texts, details, review reasons) by name. */
const SHOWN_WITH_VALUES = new Set(["category", "priority", "status", "confidence", "qualityScore"]);

/** One ticket's change: "category Complaint -> Feature Request, confidence 0.95 -> 0.82, title, reviewReasons". */
function changeText(c: RetriageChange): string {
  return Object.entries(c.changes)
    .sort(([a], [b]) => Number(SHOWN_WITH_VALUES.has(b)) - Number(SHOWN_WITH_VALUES.has(a)))
    .map(([field, [before, after]]) =>
      SHOWN_WITH_VALUES.has(field) ? `${field} ${String(before)} -> ${String(after)}` : field,
    )
    .join(", ");
}

/** The summary of `tickets retriage`: counts, transitions, then each changed ticket (the first 50). */
export function retriageText(s: RetriageSummary): string {
  const lines = [
    `${s.dryRun ? "Dry run (nothing written): " : ""}${s.matched} tickets re-triaged by the ${s.agents} crew: ${s.changed} ${s.dryRun ? "would change" : "changed"}, ${s.unchanged} unchanged, ${s.keptManual} kept a manual override, ${s.skipped.length} skipped`,
  ];
  const transitions = Object.entries(s.transitions).sort((a, b) => b[1] - a[1]);
  if (transitions.length) lines.push("", "What changed:", ...transitions.map(([k, n]) => `  ${k}: ${n}`));
  for (const c of s.changes.slice(0, 50))
    lines.push(
      `  ${c.id} (${c.sourceId}): ${changeText(c)}${c.keptManual.length ? `; kept manual ${c.keptManual.join(", ")}` : ""}`,
    );
  if (s.changes.length > 50) lines.push(`  ... and ${s.changes.length - 50} more (--json lists all)`);
  for (const k of s.skipped) lines.push(`  skipped ${k.id}: ${k.reason}`);
  if (s.more) lines.push("", "More tickets match than one run handles: run it again.");
  return lines.join("\n");
}
