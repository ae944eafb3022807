import type { Ticket } from "../../sdk/schemas/ticket.js";
import { safeText } from "./format.js";

/** Fixed widths (the rows arrive page by page, so they cannot be measured first): id, priority, category, status, conf. */
const WIDTHS = [36, 8, 15, 12, 4] as const;
const HEADERS = ["ID", "PRIORITY", "CATEGORY", "STATUS", "CONF"] as const;

const line = (cells: readonly string[], title: string) =>
  `${cells.map((c, i) => c.padEnd(WIDTHS[i]!)).join("  ")}  ${title}`.trimEnd();

export function ticketStreamHeader(): string {
  return `${line(HEADERS, "TITLE")}\n${line(
    WIDTHS.map((w) => "-".repeat(w)),
    "-".repeat(5),
  )}\n`;
}

export function ticketStreamRows(tickets: readonly Ticket[]): string {
  return tickets
    .map(
      (t) =>
        `${line([t.id, t.priority, t.category, t.status, t.confidence.toFixed(2)], safeText(t.title).slice(0, 80))}\n`,
    )
    .join("");
}
