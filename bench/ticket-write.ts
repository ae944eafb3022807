/**
 * The ticket write alone (issue #20): insertTickets of batches of 250 tickets, each with the six processing-log steps
 * the offline crew writes, against the same tickets written with no log at all (the limit: what the logs cost
 * is the gap), against them written with the analytics panels' rollup insert trigger disabled (what those cost) and
 * with both rollups' insert triggers disabled (what the rollups cost), rotating batch by batch on one fresh database
 * so all four see the same load and table size.
 *
 *   npm run bench:ticket-write [-- --tickets 20000 --database-url postgres://postgres@127.0.0.1:5432/postgres]
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../sdk/db/open-database.js";
import { createScratchDatabase } from "../sdk/db/scratch-database.js";
import type { ProcessingLogEntry } from "../sdk/schemas/ticket.js";
import { insertTickets } from "../sdk/store/ticket-writer.js";
import { benchTicket } from "./support/tickets.js";

const { values } = parseArgs({
  options: { tickets: { type: "string", default: "20000" }, "database-url": { type: "string" } },
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

type Variant = "logged" | "bare" | "noPanelRollups" | "noRollups";
const VARIANTS: readonly Variant[] = ["logged", "bare", "noPanelRollups", "noRollups"];
/** The insert triggers each variant disables. */
const DISABLED: Record<Variant, string[]> = {
  logged: [],
  bare: [],
  noPanelRollups: ["tickets_panel_rollups_insert"],
  noRollups: ["tickets_rollups_insert", "tickets_panel_rollups_insert"],
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const scratch = values["database-url"] ? await createScratchDatabase(values["database-url"], "ft_bench") : null;
  const dataDir = scratch ? undefined : await mkdtemp(path.join(os.tmpdir(), "ft-bench-write-"));
  const database = await openDatabase(scratch ? { databaseUrl: scratch.url } : { dataDir, role: "owner" });
  const perTicket: Record<Variant, number[]> = { logged: [], bare: [], noPanelRollups: [], noRollups: [] };
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
      await insertTickets(database.sql, batch);
      perTicket[variant].push((performance.now() - started) / batch.length);
      await triggers(variant, "ENABLE");
    }
    const logged = median(perTicket.logged);
    const bare = median(perTicket.bare);
    const noPanelRollups = median(perTicket.noPanelRollups);
    const noRollups = median(perTicket.noRollups);
    const line = (label: string, ms: number) =>
      console.log(`  ${label.padEnd(52)} ${(ms * 1000).toFixed(0)} µs (${Math.round(1000 / ms)} tickets/s)`);
    console.log(`${database.kind}, ${TICKETS} tickets in batches of ${BATCH}, rotating, median per ticket:`);
    line("with the crew's 6 log steps", logged);
    line("without logs", bare);
    line("with the log steps, panel rollup trigger disabled", noPanelRollups);
    line("with the log steps, both rollup triggers disabled", noRollups);
    console.log(`  without / with logs = ${(logged / bare).toFixed(2)}x (1.0: the logs cost nothing)`);
    console.log(`  panel rollups on / off = ${(logged / noPanelRollups).toFixed(2)}x (1.0: they cost nothing)`);
    console.log(`  rollups on / off = ${(logged / noRollups).toFixed(2)}x (1.0: the rollups cost nothing)`);
  } finally {
    await database.close();
    await scratch?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
