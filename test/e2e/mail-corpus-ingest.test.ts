import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { IngestSummary } from "../../app/ingest/ingest-summary.js";
import { IngestSummaryJson, TicketsListJson } from "../../cli/output-schemas.js";
import type { Ticket } from "../../sdk/schemas/ticket.js";
import { runCli } from "../support/cli.js";
import { useCliWorkspace } from "../support/cli-workspace.js";
import { everyNth } from "../support/real-reviews.js";
import { spamAssassinMessages, toMbox } from "../support/spam-assassin.js";

/**
 * Real MIME messages (the SpamAssassin public corpus: ham and spam, multipart, HTML-only, old charsets,
 * attachments, long quoted threads) through `ingest --wait`, as an mbox archive and as a folder of .eml files.
 * Every 6th message keeps the run near 1,000 messages; MAIL_CORPUS_STRIDE=1 ingests all of them (6,046).
 */
const STRIDE = Number(process.env.MAIL_CORPUS_STRIDE ?? 6);
const EML_FOLDER_SIZE = 40;

describe("ingest --wait of the SpamAssassin corpus as an mbox archive and a folder of .eml files", () => {
  const workspace = useCliWorkspace("ft-mail-corpus-");
  const messages = everyNth(spamAssassinMessages(), STRIDE);
  const archived = messages.slice(EML_FOLDER_SIZE);
  const loose = messages.slice(0, EML_FOLDER_SIZE);
  let summary: IngestSummary;
  let tickets: Ticket[];

  it("reads the archive and the folder to the end and processes every valid message", async () => {
    const mbox = path.join(workspace.cwd, "support.mbox");
    writeFileSync(mbox, toMbox(archived));
    const folder = path.join(workspace.cwd, "exported");
    mkdirSync(folder);
    for (const [i, message] of loose.entries()) {
      writeFileSync(path.join(folder, `${String(i).padStart(3, "0")}.eml`), message.raw);
    }
    const run = await runCli(["ingest", mbox, folder, "--wait", "--json"], {
      cwd: workspace.cwd,
      env: workspace.env(),
      timeoutMs: 280_000,
    });
    expect(run.code, run.stderr).toBe(0);
    summary = IngestSummaryJson.parse(JSON.parse(run.stdout));
    const list = await runCli(["tickets", "list", "--all", "--json"], { cwd: workspace.cwd, env: workspace.env() });
    tickets = TicketsListJson.parse(JSON.parse(list.stdout));
  }, 300_000);

  it("accounts for every message: read = the messages written, each either valid or rejected", () => {
    expect(summary.files.map((f) => [f.format, f.read])).toEqual([
      ["mbox", archived.length],
      ["eml", loose.length],
    ]);
    expect(summary.totals.valid + summary.totals.rejected).toBe(messages.length);
  });

  it("tickets every readable message once: a ticket of its own, or an item of its thread's ticket", () => {
    expect(summary.processed).toMatchObject({ ticketsCreated: summary.totals.enqueued, failed: 0 });
    expect(tickets.length + summary.processed!.threadReplies).toBe(summary.totals.valid);
    expect(tickets.reduce((sum, t) => sum + t.reach, 0)).toBe(summary.totals.valid);
    expect(new Set(tickets.map((t) => t.sourceId)).size).toBe(tickets.length);
  });

  it("finds almost every message readable, and names each one it could not use with the reason", () => {
    expect(summary.totals.rejected).toBeLessThan(messages.length * 0.02);
    for (const error of summary.errors) {
      expect(error.message).toMatch(/^(message \d+|\d{3}\.eml): (text|body): /);
    }
  });

  it("ingesting the same archive again creates nothing new", async () => {
    const again = await runCli(["ingest", path.join(workspace.cwd, "support.mbox"), "--wait", "--json"], {
      cwd: workspace.cwd,
      env: workspace.env(),
      timeoutMs: 200_000,
    });
    expect(again.code, again.stderr).toBe(0);
    const second = IngestSummaryJson.parse(JSON.parse(again.stdout));
    expect(second.totals.enqueued).toBe(0);
    expect(second.totals.duplicatesSkipped).toBe(second.totals.valid);
  }, 220_000);
});
