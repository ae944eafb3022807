/**
 * End-to-end benchmark: N generated reviews -> parse -> bus -> queue -> worker (offline agents) ->
 * tickets, with ingest and worker running concurrently in one process, as `ingest --wait` does.
 *
 *   npm run bench -- --items 100000                      # embedded PGlite in a fresh temp folder
 *   npm run bench -- --items 100000 --database-url postgres://postgres@127.0.0.1:5432/postgres
 *
 * With a database URL a fresh database is created beside the named one and dropped afterwards.
 *
 * The yardstick (issue 20): the same items triaged by the same crew alone, in batches of the same size, timed in
 * the same run right after the pipeline; `ratioToAgents` is the pipeline's items/s over the crew's (goal >= 0.6).
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ingestFiles } from "../app/ingest/ingest-service.js";
import type { PipelineDeps } from "../app/worker/pipeline.js";
import { runWorker } from "../app/worker/run-worker.js";
import { pipelineDeps } from "../app/worker/worker-service.js";
import { loadRuntimeConfig } from "../sdk/config/runtime.js";
import { createScratchDatabase } from "../sdk/db/scratch-database.js";
import { parseFeedbackFile } from "../sdk/ingest/index.js";
import { writeSyntheticReviewsCsv } from "../sdk/ingest/synthetic.js";
import { openBackend } from "../sdk/open-backend.js";
import type { FeedbackItem } from "../sdk/schemas/feedback.js";
import { startOwnerProcess } from "./support/owner-process.js";

const { values } = parseArgs({
  options: {
    items: { type: "string", default: "10000" },
    "database-url": { type: "string" },
    "batch-size": { type: "string", default: "250" },
    /** Concurrent worker loops in this process (PGlite has one session, so more help only on PostgreSQL). */
    workers: { type: "string" },
    /** The offline crew in its worker thread (default as configured by default: on 2+ cores). */
    "agent-thread": { type: "string" },
    /**
     * "process": another process owns the embedded database and the pipeline reaches it through its socket, as a
     * measure of what running the database beside the pipeline (on another core) would give.
     */
    "database-owner": { type: "string" },
  },
});
const items = Number(values.items);
const batchSize = Number(values["batch-size"]);

/** Items/s of the crew alone on the file's items, batch by batch as the worker gives them (parsing not timed). */
async function agentsAlone(deps: PipelineDeps, csv: string, batchSize: number): Promise<number> {
  const config = await deps.configuration.load();
  const events = parseFeedbackFile(csv);
  let batch: FeedbackItem[] = [];
  let triaged = 0;
  let busyMs = 0;
  const triage = async () => {
    const started = performance.now();
    await deps.agents.triage(batch, config);
    busyMs += performance.now() - started;
    triaged += batch.length;
    batch = [];
  };
  for (let next = await events.next(); !next.done; next = await events.next()) {
    if (next.value.kind !== "item") continue;
    batch.push(next.value.item);
    if (batch.length === batchSize) await triage();
  }
  if (batch.length > 0) await triage();
  return triaged / (busyMs / 1000);
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const round2 = (n: number) => Number(n.toFixed(3));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const work = await mkdtemp(path.join(os.tmpdir(), "ft-bench-"));
  const csv = path.join(work, "reviews.csv");
  await writeSyntheticReviewsCsv(csv, items, 42);
  const database = values["database-url"] ? await createScratchDatabase(values["database-url"], "ft_bench") : null;
  // The defaults, whatever the shell has set: the benchmark measures its own fresh database and offline crew.
  const threadSetting = values["agent-thread"];
  const config = loadRuntimeConfig(threadSetting ? { FEEDBACK_AGENT_THREAD: threadSetting } : {});
  const dataDir = path.join(work, "data");
  const owner = values["database-owner"] === "process" && !database ? await startOwnerProcess(dataDir) : null;
  const backend = await openBackend({ config, dataDir, databaseUrl: database?.url });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const latencies: number[] = [];
  try {
    const deps = await pipelineDeps(backend, config.agents, { mode: "offline" });
    let ingestDone = false;
    let created = 0;
    const started = performance.now();
    const cpuAtStart = {
      process: process.cpuUsage(),
      mainThread: process.threadCpuUsage(),
      owner: owner?.cpuSeconds() ?? 0,
    };
    const loops = Number(values.workers ?? 1);
    const workerLoop = async () => {
      while (true) {
        await runWorker(deps, {
          once: true,
          batchSize,
          onBatch: (outcome) => {
            created += outcome.created;
            latencies.push(...outcome.latenciesMs);
          },
        });
        if (ingestDone && (await backend.queue.depth()).visible === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const worker = Promise.all(Array.from({ length: loops }, workerLoop));
    const summary = await ingestFiles(backend, [csv], { batchSize: 1000 });
    ingestDone = true;
    const ingestSeconds = (performance.now() - started) / 1000;
    await worker;
    const seconds = (performance.now() - started) / 1000;
    const cpu = {
      process: cpuMs(process.cpuUsage(cpuAtStart.process)),
      mainThread: cpuMs(process.threadCpuUsage(cpuAtStart.mainThread)),
      owner: owner ? (owner.cpuSeconds() - cpuAtStart.owner) * 1000 : null,
    };
    latencies.sort((a, b) => a - b);
    const counts = await backend.tickets.counts();
    await deps.agents.close?.();
    const agentsItemsPerSecond = await agentsAlone(deps, csv, batchSize);
    console.log(
      JSON.stringify(
        {
          backend: database ? "postgres" : owner ? "pglite through its owner process" : "pglite",
          workerLoops: loops,
          agentThread: config.agents.offlineThread,
          items,
          enqueued: summary.totals.enqueued,
          ticketsCreated: created,
          ticketsInDatabase: counts.total,
          seconds: Number(seconds.toFixed(2)),
          itemsPerSecond: Math.round(created / seconds),
          agentsAloneItemsPerSecond: Math.round(agentsItemsPerSecond),
          ratioToAgents: Number((created / seconds / agentsItemsPerSecond).toFixed(2)),
          // Load-independent: where an item's CPU goes (on PGlite the database is in the main thread).
          cpuMsPerItem: {
            process: round2(cpu.process / items),
            mainThread: round2(cpu.mainThread / items),
            ...(cpu.owner === null ? {} : { databaseOwnerProcess: round2(cpu.owner / items) }),
          },
          ingestItemsPerSecond: Math.round(summary.totals.enqueued / ingestSeconds),
          latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
          peakRssMiB: Math.round(peakRss / 1024 / 1024),
          node: process.version,
          cpus: os.cpus().length,
        },
        null,
        2,
      ),
    );
  } finally {
    clearInterval(sampler);
    await backend.close();
    await owner?.stop();
    await database?.drop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
