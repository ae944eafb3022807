/**
 * Export benchmark (issue #14): seeds 10,000 and 100,000 tickets into fresh embedded (PGlite) folders with
 * the store's bulk writer (sdk/store/ticket-writer.ts insertTickets), then exports each in a child process
 * of its own (`tickets export`'s code: app/tickets/export.ts over TicketRepository.stream) and prints the
 * time and the child's peak RSS for every format. Ratios against limits measured in the same run: time
 * against the 5 s budget, peak RSS against a child that opens the same folder and lists 50 tickets (the
 * floor: Node, PGlite's WebAssembly heap) and the 100k peak against the 10k one (flat memory: ~1.0). CPU time
 * (user + system of the child) is printed beside the wall time: on a shared machine it is the steadier figure.
 *
 *   npm run bench:export [-- --sizes 10000,100000 --formats csv,json,ndjson]
 */
import { spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { EXPORT_FORMATS, type ExportFormat, exportStream } from "../app/tickets/export.js";
import { loadRuntimeConfig } from "../sdk/config/runtime.js";
import { openLocalBackend } from "../sdk/open-backend.js";
import { insertTickets } from "../sdk/store/ticket-writer.js";
import { benchArgs } from "./support/bench-args.js";
import { benchTicket as ticket } from "./support/tickets.js";

const TIME_LIMIT_MS = 5000;
const USAGE = "Usage: npm run bench:export [-- --sizes 10000,100000 --formats csv,json,ndjson]";
const values = benchArgs(USAGE, {
  sizes: { type: "string", default: "10000,100000" },
  formats: { type: "string", default: EXPORT_FORMATS.join(",") },
  child: { type: "string" },
  "data-dir": { type: "string" },
});

const open = (dataDir: string) =>
  openLocalBackend({ config: loadRuntimeConfig({ ...process.env, DATABASE_URL: "" }), dataDir, role: "owner" });

async function seed(dataDir: string, count: number): Promise<number> {
  const { backend, database } = await open(dataDir);
  const started = performance.now();
  try {
    for (let i = 0; i < count; i += 2000)
      await insertTickets(
        database.sql,
        Array.from({ length: Math.min(2000, count - i) }, (_, j) => ticket(i + j)),
      );
    // Distinct creation times over 90 days, as real tickets have (a batch shares one now()).
    await database.sql.query(`UPDATE tickets SET created_at = now() - (random() * interval '90 days')`);
    await database.sql.query("VACUUM ANALYZE tickets");
  } finally {
    await backend.close();
  }
  return performance.now() - started;
}

/** Child: one measurement in a fresh process, printed as JSON. */
async function child(mode: string, dataDir: string): Promise<void> {
  const { backend } = await open(dataDir);
  const out = path.join(dataDir, "..", `export.${mode}`);
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    if (mode === "list") await backend.tickets.list({ limit: 50 });
    else await pipeline(exportStream(backend, {}, mode as ExportFormat), createWriteStream(out));
  } finally {
    await backend.close();
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const bytes = mode === "list" ? 0 : (await stat(out)).size;
  if (mode !== "list") await rm(out);
  process.stdout.write(JSON.stringify({ ms, cpuMs, bytes, maxRssKiB: process.resourceUsage().maxRSS }));
}

function measure(mode: string, dataDir: string): { ms: number; cpuMs: number; bytes: number; maxRssKiB: number } {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", mode, "--data-dir", dataDir], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: "" },
  });
  if (run.status !== 0) throw new Error(`child ${mode} failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

async function main(): Promise<void> {
  const sizes = values.sizes.split(",").map(Number);
  const formats = values.formats.split(",") as ExportFormat[];
  const work = await mkdtemp(path.join(os.tmpdir(), "ft-bench-export-"));
  const mib = (kib: number) => (kib / 1024).toFixed(0);
  const peaks = new Map<string, number>();
  try {
    console.log(`Export benchmark: ${sizes.join(", ")} tickets, PGlite, each measurement in a fresh process`);
    console.log(
      "size      format  wall ms  vs 5 s   CPU ms  vs 5 s  tickets/s  MiB out  peak RSS MiB  vs floor  vs 10k",
    );
    for (const size of sizes) {
      const dataDir = path.join(work, `data-${size}`);
      const seeded = await seed(dataDir, size);
      const floor = measure("list", dataDir);
      console.log(
        `${String(size).padEnd(9)} (seeded in ${(seeded / 1000).toFixed(1)} s; floor: open + list 50 = ${mib(floor.maxRssKiB)} MiB peak RSS)`,
      );
      for (const format of formats) {
        const m = measure(format, dataDir);
        const first = peaks.get(format);
        if (first === undefined) peaks.set(format, m.maxRssKiB);
        console.log(
          [
            String(size).padEnd(9),
            format.padEnd(6),
            m.ms.toFixed(0).padStart(7),
            (m.ms / TIME_LIMIT_MS).toFixed(2).padStart(6),
            m.cpuMs.toFixed(0).padStart(7),
            (m.cpuMs / TIME_LIMIT_MS).toFixed(2).padStart(6),
            ((size / m.ms) * 1000).toFixed(0).padStart(9),
            (m.bytes / 1048576).toFixed(1).padStart(7),
            mib(m.maxRssKiB).padStart(12),
            (m.maxRssKiB / floor.maxRssKiB).toFixed(2).padStart(8),
            (first === undefined ? "-" : (m.maxRssKiB / first).toFixed(2)).padStart(6),
          ].join("  "),
        );
      }
      await rm(dataDir, { recursive: true, force: true });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (values.child) await child(values.child, values["data-dir"]!);
else await main();
