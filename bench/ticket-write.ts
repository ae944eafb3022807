/**
 * The ticket write alone (issue #20): insertTickets of batches of 250 tickets, each with the six processing-log steps
 * the offline crew writes, against the same tickets written with no log at all (what the logs cost is the gap),
 * with the analytics panels' rollup insert trigger disabled and with both rollups' insert triggers disabled (what
 * those cost), as a COPY of the same rows into the same tables (the limit: what the database needs to store them)
 * and as a COPY into a temporary table followed by the write's own INSERT ... ON CONFLICT (a candidate bulk form),
 * rotating batch by batch on one fresh database so all see the same load and table size. --search-index instead
 * writes the same batches into two fresh databases, alternating, the second with the text-search GIN index's
 * storage parameters changed ("fastupdate = off", "gin_pending_list_limit = 65536") or, with "none", without it
 * (what the index costs).
 *
 *   npm run bench:ticket-write [-- --tickets 20000 --database-url postgres://postgres@127.0.0.1:5432/postgres]
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Database, openDatabase } from "../sdk/db/open-database.js";
import { createScratchDatabase } from "../sdk/db/scratch-database.js";
import type { NewTicket } from "../sdk/ports/tickets.js";
import type { ProcessingLogEntry } from "../sdk/schemas/ticket.js";
import { insertBatchSql, insertTickets, TICKET_ROW_COLUMNS, ticketRows } from "../sdk/store/ticket-writer.js";
import { BenchUsageError, benchArgs, withUsage } from "./support/bench-args.js";
import { type Copy, type CopyRunner, copyRunner } from "./support/copy.js";
import { benchTicket } from "./support/tickets.js";

const USAGE =
  'Usage: npm run bench:ticket-write [-- --tickets 20000 --database-url postgres://... --search-index "fastupdate = off"|none]';
const values = benchArgs(USAGE, {
  tickets: { type: "string", default: "20000" },
  "database-url": { type: "string" },
  "search-index": { type: "string" },
});
const TICKETS = Number(values.tickets);
const BATCH = 250;

/** Six steps shaped like the offline crew's (classifier scores and signals, bug details, priority, title, critique). */
function crewSteps(n: number): ProcessingLogEntry[] {
  const step = (agent: string, action: string, result: Record<string, unknown>, confidence: number | null = null) => ({
    agent,
    action,
    result,
    confidence,
    durationMs: 0.05 + (n % 7) / 100,
    tokensIn: null,
    tokensOut: null,
  });
  return [
    step(
      "classifier",
      "classify",
      {
        category: "Bug",
        decidedBy: "model",
        scores: { Bug: 0.81, Complaint: 0.09, "Feature Request": 0.05, Praise: 0.03, Spam: 0.02 },
        signals: ["crash", "rating<=2"],
      },
      0.81,
    ),
    step("bug-analyser", "analyse-bug", { severity: "High", device: "Pixel 8", os: "Android 14", appVersion: "4.2.0" }),
    step("feature-extractor", "skip", { skipped: "category is Bug" }),
    step("prioritiser", "prioritise", { priority: "High", rule: "crash", reasons: ["severity High"] }),
    step("ticket-writer", "write", { title: `[BUG] sync problem number ${n}`, descriptionChars: 180 }),
    step("quality-critic", "critique", { score: 7, reasons: [] }, 0.7),
  ];
}

type Variant = "logged" | "bare" | "noPanelRollups" | "noRollups" | "copy" | "staged";
const VARIANTS: readonly Variant[] = ["logged", "bare", "noPanelRollups", "noRollups", "copy", "staged"];
/** The insert triggers each variant disables. */
const DISABLED: Record<Variant, string[]> = {
  logged: [],
  bare: [],
  noPanelRollups: ["tickets_panel_rollups_insert"],
  noRollups: ["tickets_rollups_insert", "tickets_panel_rollups_insert"],
  copy: [],
  staged: [],
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The rows insertTickets writes for the batch, as one COPY per table (the ticket is its item's group of one). */
function limitCopies(tickets: readonly NewTicket[]): Copy[] {
  const now = new Date().toISOString();
  const rows = ticketRows(tickets).map((r) => ({
    ...r,
    feedback_item_id: r.id,
    ticket_id: r.id,
    first_seen_at: r.submitted_at ?? now,
    last_seen_at: r.submitted_at ?? now,
    steps: r.logs,
  }));
  return [
    {
      table: "feedback_items",
      columns: ["id", "source_type", "source_id", "channel", "content_hash", "payload"],
      rows,
    },
    {
      table: "tickets",
      columns: [
        ...["id", "source_type", "source_id", "channel", "title", "description", "category", "priority", "confidence"],
        ...["technical_details", "status", "quality_score", "review_reasons", "language", "submitted_at", "app"],
        ...["content_hash", "feedback_item_id", "first_seen_at", "last_seen_at", "versions", "platforms", "quotes"],
      ],
      rows,
    },
    { table: "ticket_items", columns: ["feedback_item_id", "ticket_id"], rows },
    {
      table: "processing_logs",
      columns: ["ticket_id", "source_type", "source_id", "message_id", "steps"],
      rows: rows.filter((r) => r.logs.length > 0),
    },
  ];
}

const STAGED_COLUMNS = TICKET_ROW_COLUMNS.split(",").map((c) => c.trim().split(/\s+/)[0]!);
const STAGE = `CREATE TEMP TABLE IF NOT EXISTS ticket_input (${TICKET_ROW_COLUMNS}) ON COMMIT DELETE ROWS`;
const STAGED_INSERT = insertBatchSql("SELECT * FROM ticket_input");

/** The write's own statement, its input sent with COPY into a temporary table instead of as one jsonb parameter. */
async function insertStaged(run: CopyRunner, tickets: readonly NewTicket[]): Promise<number> {
  const copy = { table: "ticket_input", columns: STAGED_COLUMNS, rows: ticketRows(tickets) };
  return (await run([copy], { before: STAGE, after: STAGED_INSERT })).length;
}

/** A fresh database (a scratch PostgreSQL database beside --database-url, else a PGlite folder) and its disposal. */
async function freshDatabase(): Promise<{ database: Database; dispose: () => Promise<void> }> {
  const scratch = values["database-url"] ? await createScratchDatabase(values["database-url"], "ft_bench") : null;
  const dataDir = scratch ? undefined : await mkdtemp(path.join(os.tmpdir(), "ft-bench-write-"));
  const database = await openDatabase(scratch ? { databaseUrl: scratch.url } : { dataDir, role: "owner" });
  const dispose = async () => {
    await database.close();
    await scratch?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
  return { database, dispose };
}

/**
 * The same batches written with insertTickets into two fresh databases, one with the search index as migrated and
 * one changed by `setting`, alternating which goes first: both see the same load, rows and table size.
 */
async function compareSearchIndex(setting: string): Promise<void> {
  const [plain, changed] = [await freshDatabase(), await freshDatabase()];
  if (setting === "none") await changed.database.sql.query("DROP INDEX tickets_search_idx");
  else await changed.database.sql.query(`ALTER INDEX tickets_search_idx SET (${setting})`);
  const perTicket = { plain: [] as number[], changed: [] as number[] };
  try {
    for (let i = 0; i < TICKETS; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, TICKETS - i) }, (_, j) => ({
        ...benchTicket(i + j),
        logs: crewSteps(i + j),
      }));
      const order = (i / BATCH) % 2 ? (["changed", "plain"] as const) : (["plain", "changed"] as const);
      for (const side of order) {
        const started = performance.now();
        await insertTickets((side === "plain" ? plain : changed).database.sql, batch);
        perTicket[side].push((performance.now() - started) / batch.length);
      }
    }
    const kind = plain.database.kind;
    console.log(`${kind}, ${TICKETS} tickets in batches of ${BATCH} into two databases, alternating, per ticket:`);
    for (const side of ["plain", "changed"] as const)
      console.log(
        `  ${(side === "plain" ? "search index as migrated" : `search index: ${setting}`).padEnd(48)} median ${(median(perTicket[side]) * 1000).toFixed(0)} µs, mean ${(mean(perTicket[side]) * 1000).toFixed(0)} µs`,
      );
    const ratio = (f: (xs: number[]) => number) => (f(perTicket.changed) / f(perTicket.plain)).toFixed(2);
    console.log(
      `  changed / as migrated = ${ratio(median)}x median, ${ratio(mean)}x mean (below 1.0: the change wins)`,
    );
  } finally {
    await plain.dispose();
    await changed.dispose();
  }
}

/** Each variant writes every VARIANTS.length-th batch: fewer tickets would leave some with no figure at all. */
function refuseTooFewTickets(): void {
  const least = BATCH * VARIANTS.length;
  if (Number.isInteger(TICKETS) && TICKETS >= least) return;
  withUsage(USAGE, () => {
    throw new BenchUsageError(
      `--tickets must be a whole number of at least ${least} (${VARIANTS.length} variants take turns, a batch of ${BATCH} each), got ${values.tickets}`,
    );
  });
}

async function main(): Promise<void> {
  if (values["search-index"]) return compareSearchIndex(values["search-index"]);
  refuseTooFewTickets();
  const { database, dispose } = await freshDatabase();
  const perTicket: Record<Variant, number[]> = {
    logged: [],
    bare: [],
    noPanelRollups: [],
    noRollups: [],
    copy: [],
    staged: [],
  };
  const copier = await copyRunner(database);
  const writeBatch = async (variant: Variant, batch: NewTicket[]): Promise<number> => {
    if (variant === "staged") return insertStaged(copier.run, batch);
    if (variant !== "copy") return (await insertTickets(database.sql, batch)).created.length;
    await copier.run(limitCopies(batch));
    return batch.length;
  };
  const triggers = async (variant: Variant, state: "ENABLE" | "DISABLE") => {
    for (const trigger of DISABLED[variant])
      await database.sql.query(`ALTER TABLE tickets ${state} TRIGGER ${trigger}`);
  };
  try {
    for (let i = 0; i < TICKETS; i += BATCH) {
      const variant = VARIANTS[(i / BATCH) % VARIANTS.length]!;
      const batch = Array.from({ length: Math.min(BATCH, TICKETS - i) }, (_, j) => {
        const ticket = benchTicket(i + j);
        return { ...ticket, logs: variant === "bare" ? [] : crewSteps(i + j) };
      });
      await triggers(variant, "DISABLE");
      const started = performance.now();
      const created = await writeBatch(variant, batch);
      if (created !== batch.length) throw new Error(`${variant}: ${created} of ${batch.length} tickets written`);
      perTicket[variant].push((performance.now() - started) / batch.length);
      await triggers(variant, "ENABLE");
    }
    const [logged, bare, noPanelRollups, noRollups, copy, staged] = VARIANTS.map((v) => median(perTicket[v]));
    const line = (label: string, v: Variant, ms: number) =>
      console.log(
        `  ${label.padEnd(58)} ${(ms * 1000).toFixed(0)} µs (${Math.round(1000 / ms)} tickets/s), mean ${(mean(perTicket[v]) * 1000).toFixed(0)} µs`,
      );
    console.log(`${database.kind}, ${TICKETS} tickets in batches of ${BATCH}, rotating, median per ticket:`);
    line("with the crew's 6 log steps", "logged", logged!);
    line("without logs", "bare", bare!);
    line("with the log steps, panel rollup trigger disabled", "noPanelRollups", noPanelRollups!);
    line("with the log steps, both rollup triggers disabled", "noRollups", noRollups!);
    line("limit: COPY of the same rows into the same tables", "copy", copy!);
    line("COPY into a temporary table, then the same INSERT", "staged", staged!);
    console.log(`  with / without logs = ${(logged! / bare!).toFixed(2)}x (1.0: the logs cost nothing)`);
    console.log(`  panel rollups on / off = ${(logged! / noPanelRollups!).toFixed(2)}x (1.0: they cost nothing)`);
    console.log(`  rollups on / off = ${(logged! / noRollups!).toFixed(2)}x (1.0: the rollups cost nothing)`);
    console.log(`  insertTickets / COPY limit = ${(logged! / copy!).toFixed(2)}x (1.0: as fast as COPY)`);
    console.log(
      `  staged COPY + INSERT / insertTickets = ${(staged! / logged!).toFixed(2)}x (below 1.0: staging wins)`,
    );
  } finally {
    await copier.close();
    await dispose();
  }
}

await main();
