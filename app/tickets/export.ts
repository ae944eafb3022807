import { Readable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import type { Backend } from "../../sdk/backend.js";
import { Ticket, type TicketQueryInput } from "../../sdk/schemas/ticket.js";

/**
 * Ticket export for every front end (`feedback-cli tickets export`, `tickets list --all`, the dashboard's
 * CSV download): the tickets a query matches, streamed page by page from the store's keyset stream, so
 * memory holds one page whatever the count.
 */
export const EXPORT_FORMATS = ["csv", "json", "ndjson"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
  ndjson: "application/x-ndjson; charset=utf-8",
};

/** Rows fetched per query. */
export const EXPORT_PAGE_SIZE = 2000;

/**
 * The CSV columns: the Ticket schema's keys, in its order, so a field added to the schema is exported
 * without touching this file. Objects and arrays (technicalDetails, reviewReasons) are one JSON cell.
 */
export function exportColumns(): string[] {
  return Object.keys(Ticket.shape);
}

/** One CSV cell: objects and arrays as JSON, null as empty; numbers stay numbers (never formula-escaped). */
function csvCell(value: unknown): unknown {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : value;
}

/**
 * A page of CSV rows (csv-stringify, RFC 4180). Spreadsheet formula injection: a text cell starting with
 * = + - @ tab or CR is prefixed with a quote (OWASP), by csv-stringify's escape_formulas.
 */
function csvPage(tickets: readonly Ticket[], columns: readonly string[], first: boolean): string {
  const rows = tickets.map((t) => columns.map((c) => csvCell((t as Record<string, unknown>)[c])));
  return stringify(first ? [columns, ...rows] : rows, { bom: first, escape_formulas: true });
}

/**
 * The export as text chunks, one per page: CSV (RFC 4180 via csv-stringify, UTF-8 BOM, a header row),
 * a JSON array, or NDJSON (one ticket per line). Without `sortBy` the order is newest first.
 */
export async function* exportChunks(
  backend: Backend,
  query: TicketQueryInput,
  format: ExportFormat,
): AsyncGenerator<string> {
  const columns = exportColumns();
  let first = true;
  if (format === "csv" || format === "json") {
    for await (const page of backend.tickets.stream(query, EXPORT_PAGE_SIZE)) {
      if (format === "csv") yield csvPage(page, columns, first);
      else yield `${first ? "[\n" : ",\n"}${page.map((t) => JSON.stringify(t)).join(",\n")}`;
      first = false;
    }
    if (format === "csv" && first) yield csvPage([], columns, true);
    if (format === "json") yield first ? "[]\n" : "\n]\n";
    return;
  }
  for await (const page of backend.tickets.stream(query, EXPORT_PAGE_SIZE))
    yield `${page.map((t) => JSON.stringify(t)).join("\n")}\n`;
}

/** The export as a byte stream with backpressure (a slow reader pauses the queries): files, stdout, HTTP. */
export function exportStream(backend: Backend, query: TicketQueryInput, format: ExportFormat): Readable {
  return Readable.from(exportChunks(backend, query, format), { objectMode: false });
}
