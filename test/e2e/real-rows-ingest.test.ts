import path from "node:path";
import { describe, expect, it } from "vitest";
import type { IngestSummary } from "../../app/ingest/ingest-summary.js";
import { IngestSummaryJson, TicketShowJson, TicketsListJson } from "../../cli/output-schemas.js";
import type { Ticket } from "../../sdk/schemas/ticket.js";
import { runCli } from "../support/cli.js";
import { useCliWorkspace } from "../support/cli-workspace.js";
import {
  type ExportRow,
  everyNth,
  loadRealReviewTexts,
  startLines,
  toExportRows,
  writeExportCsv,
} from "../support/real-reviews.js";

/**
 * Real app-review texts (feedback-classification, CC-BY-4.0) in the capstone review export's layout, with
 * what real exports carry: blank names, dates, versions and devices; ratings as "4", "4.0" or blank; four
 * date forms; texts with newlines, quotes, emoji, 10,000 characters or non-Latin scripts; repeated texts.
 * Every 5th text keeps the run near 1,700 rows; REAL_ROWS_STRIDE=1 ingests all of them (about 8,400).
 */
const STRIDE = Number(process.env.REAL_ROWS_STRIDE ?? 5);

/** The same words from two reviewers: two reviews, so two tickets. */
const TWIN_REVIEWS: ExportRow[] = ["twin-1", "twin-2"].map((review_id) => ({
  review_id,
  user_name: "",
  rating: "5",
  review_text: "Great app",
  date: "",
  app_version: "",
  device: "",
}));
/** Rows without feedback: each gets a row error, nothing else. */
const EMPTY_TEXT_ROWS: ExportRow[] = [
  { ...TWIN_REVIEWS[0]!, review_id: "empty-1", review_text: "" },
  { ...TWIN_REVIEWS[0]!, review_id: "empty-2", review_text: " \n\t " },
];

async function allTickets(cwd: string, env: NodeJS.ProcessEnv, expected: number): Promise<Ticket[]> {
  const tickets: Ticket[] = [];
  for (let offset = 0; offset < expected + 1000; offset += 1000) {
    const page = await runCli(["tickets", "list", "--limit", "1000", "--offset", String(offset), "--json"], {
      cwd,
      env,
    });
    expect(page.code, page.stderr).toBe(0);
    const items = TicketsListJson.parse(JSON.parse(page.stdout));
    tickets.push(...items);
    if (items.length < 1000) break;
  }
  return tickets;
}

describe("ingest --wait of real review rows in the capstone layout", () => {
  const workspace = useCliWorkspace("ft-real-rows-");
  const realRows = toExportRows(everyNth(loadRealReviewTexts(), STRIDE));
  const rows = [...realRows, ...TWIN_REVIEWS, ...EMPTY_TEXT_ROWS];
  const withText = rows.filter((row) => row.review_text.trim() !== "");
  let summary: IngestSummary;
  let tickets: Ticket[];

  it("ingests the file and processes it", async () => {
    const file = path.join(workspace.cwd, "app_store_reviews.csv");
    writeExportCsv(file, rows);
    const run = await runCli(["ingest", file, "--wait", "--json"], {
      cwd: workspace.cwd,
      env: workspace.env(),
      timeoutMs: 280_000,
    });
    expect(run.code, run.stderr).toBe(0);
    summary = IngestSummaryJson.parse(JSON.parse(run.stdout));
    tickets = await allTickets(workspace.cwd, workspace.env(), withText.length);
    expect(summary.totals).toMatchObject({ read: rows.length, valid: withText.length });
  }, 300_000);

  it("makes exactly one ticket of every row with text, found by its review_id", () => {
    const perSourceId = new Map<string, number>();
    for (const ticket of tickets) perSourceId.set(ticket.sourceId, (perSourceId.get(ticket.sourceId) ?? 0) + 1);
    const missing = withText.filter((row) => perSourceId.get(row.review_id) !== 1);
    expect(missing.map((row) => row.review_id)).toEqual([]);
    expect(tickets).toHaveLength(withText.length);
    expect(summary.processed).toMatchObject({ ticketsCreated: withText.length, failed: 0 });
  });

  it("makes two tickets of the same text written by two reviewers", () => {
    const twins = tickets.filter((ticket) => ticket.sourceId.startsWith("twin-"));
    expect(twins.map((ticket) => ticket.sourceId).sort()).toEqual(["twin-1", "twin-2"]);
  });

  it("reports each row without text as a row error naming its line and id, and rejects nothing else", () => {
    const lines = startLines(rows).slice(-EMPTY_TEXT_ROWS.length);
    expect(summary.totals.rejected).toBe(EMPTY_TEXT_ROWS.length);
    expect(summary.errors).toMatchObject(
      lines.map((line, i) => ({
        line,
        field: "review_text",
        recordId: EMPTY_TEXT_ROWS[i]!.review_id,
        message: "review_text is empty",
      })),
    );
  });

  it("keeps a 10,000-character text and non-Latin scripts as written", async () => {
    const long = realRows.find((row) => row.review_text.length === 10_000)!;
    const scripts = realRows.find((row) => row.review_text.includes("アプリ"))!;
    for (const row of [long, scripts]) {
      const ticket = tickets.find((t) => t.sourceId === row.review_id)!;
      const show = await runCli(["tickets", "show", ticket.id, "--json"], { cwd: workspace.cwd, env: workspace.env() });
      expect(TicketShowJson.parse(JSON.parse(show.stdout)).feedback?.text).toBe(row.review_text.trim());
    }
  }, 60_000);
});
