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
 * Every 6th message keeps the run near 1,000 messages; MAIL_CORPUS_STRIDE=1 ingests all of them, and the first
 * test prints the counts. The full corpus, 2026-12-07 (`npm run build`, then
 * `MAIL_CORPUS_STRIDE=1 timeout 1800 npx vitest run test/e2e/mail-corpus-ingest.test.ts`, about 17 minutes on a
 * shared 2-core machine): 6,046 messages, 6,000 readable, all 6,000 ticketed (4,459 tickets + 1,541 thread
 * replies), 46 unreadable: 34 over 20,000 characters once quotes and signature are stripped, 8 with no body,
 * 3 holding only attachments, 1 with a NUL (BENCHMARKS.md, "Mail archives").
 */
const STRIDE = Number(process.env.MAIL_CORPUS_STRIDE ?? 6);
const EML_FOLDER_SIZE = 40;

/** Why a message made no item, from the first words of its reason (see sdk/ingest/mail/mime-item.ts). */
const UNREADABLE_REASONS: [string, RegExp][] = [
  ["over 20,000 characters without quotes", /: text: the body is [\d,]+ characters without quotes/],
  ["no body", /: text: the message has no text body \(it holds nothing\)/],
  ["only attachments", /: text: the message has no text body \(it holds only \d+ attachment/],
  ["a NUL or lone surrogate", /: body: holds /],
  ["not MIME", /the message cannot be parsed as MIME/],
];

function unreadableByReason(errors: { message: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { message } of errors) {
    const reason = UNREADABLE_REASONS.find(([, pattern]) => pattern.test(message))?.[0] ?? `other: ${message}`;
    counts[reason] = (counts[reason] ?? 0) + 1;
  }
  return counts;
}

describe("ingest --wait of the SpamAssassin corpus as an mbox archive and a folder of .eml files", () => {
  const workspace = useCliWorkspace("ft-mail-corpus-");
  const messages = everyNth(spamAssassinMessages(), STRIDE);
  const archived = messages.slice(EML_FOLDER_SIZE);
  const loose = messages.slice(0, EML_FOLDER_SIZE);
  // About 0.3 s a message on a shared 2-core machine, so the full corpus gets the time it needs.
  const runMs = Math.max(280_000, messages.length * 300);
  let summary: IngestSummary;
  let tickets: Ticket[];

  it(
    "reads the archive and the folder to the end and processes every valid message",
    async () => {
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
        timeoutMs: runMs,
      });
      expect(run.code, run.stderr).toBe(0);
      summary = IngestSummaryJson.parse(JSON.parse(run.stdout));
      const list = await runCli(["tickets", "list", "--all", "--json"], { cwd: workspace.cwd, env: workspace.env() });
      tickets = TicketsListJson.parse(JSON.parse(list.stdout));
      const { valid, rejected } = summary.totals;
      console.log(
        `mail corpus, every ${STRIDE}: ${messages.length} messages, ${valid} readable, ${tickets.length} tickets + ${summary.processed?.threadReplies} thread replies, ${rejected} unreadable ${JSON.stringify(unreadableByReason(summary.errors))}`,
      );
    },
    runMs + 20_000,
  );

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
    expect(summary.errors.length + summary.errorsOmitted).toBe(summary.totals.rejected);
    for (const error of summary.errors) {
      expect(error.message).toMatch(/^(message \d+|\d{3}\.eml): (text|body): /);
    }
    expect(Object.keys(unreadableByReason(summary.errors)).filter((reason) => reason.startsWith("other"))).toEqual([]);
  });

  it(
    "ingesting the same archive again creates nothing new",
    async () => {
      const again = await runCli(["ingest", path.join(workspace.cwd, "support.mbox"), "--wait", "--json"], {
        cwd: workspace.cwd,
        env: workspace.env(),
        timeoutMs: runMs,
      });
      expect(again.code, again.stderr).toBe(0);
      const second = IngestSummaryJson.parse(JSON.parse(again.stdout));
      expect(second.totals.enqueued).toBe(0);
      expect(second.totals.duplicatesSkipped).toBe(second.totals.valid);
    },
    runMs + 20_000,
  );
});
