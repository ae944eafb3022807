/**
 * End-to-end benchmark: N generated reviews -> parse -> bus -> queue -> worker (offline agents) ->
 * tickets, with ingest and worker running concurrently in one process, as `ingest --wait` does.
 *
 *   npm run bench -- --items 100000                      # embedded PGlite in a fresh temp folder
 *   npm run bench -- --items 100000 --database-url postgres://postgres@127.0.0.1:5432/postgres
 *   node --expose-gc dist/bench/pipeline.js --items 100000     # also the heap held after the run
 *
 * With a database URL a fresh database is created beside the named one and dropped afterwards.
 *
 * The yardstick (issue 20): the same items triaged by the same crew alone, in batches of the same size, timed in
 * the same run right before and right after the pipeline; `ratioToAgents` is the pipeline's items/s over the crew's
 * (goal >= 0.6).
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createOfflineAgents } from "../app/agents/offline/index.js";
import { ingestFiles } from "../app/ingest/ingest-service.js";
import type { PipelineDeps } from "../app/worker/pipeline.js";
import { withReviewFlags } from "../app/worker/review-flags.js";
import { runWorker } from "../app/worker/run-worker.js";
import { pipelineDeps } from "../app/worker/worker-service.js";
import { loadRuntimeConfig } from "../sdk/config/runtime.js";
import { createScratchDatabase } from "../sdk/db/scratch-database.js";
import { parseFeedbackFile } from "../sdk/ingest/index.js";
import { writeSyntheticReviewsCsv } from "../sdk/ingest/synthetic.js";
import { openLocalBackend } from "../sdk/open-backend.js";
import type { FeedbackItem } from "../sdk/schemas/feedback.js";
import { benchArgs, wholeNumber, withUsage } from "./support/bench-args.js";
import { startOwnerProcess } from "./support/owner-process.js";
import { postgresServerCpuSeconds } from "./support/process-cpu.js";
import { measureRowsLimit, type RowsLimit } from "./support/rows-limit.js";

const USAGE = `Usage: npm run bench -- [--items 10000] [--batch-size 250] [--database-url postgres://...]
                     [--workers 1] [--agent-thread true|false] [--database-owner process]
       node --expose-gc dist/bench/pipeline.js [...]   (also the heap held after the run)`;
const values = benchArgs(USAGE, {
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
});
const items = withUsage(USAGE, () => wholeNumber(values.items, "--items"));
const batchSize = withUsage(USAGE, () => wholeNumber(values["batch-size"], "--batch-size"));
const workerLoops = withUsage(USAGE, () => wholeNumber(values.workers ?? "1", "--workers"));

/**
 * The crew alone on the file's items, batch by batch as the worker gives them: items and busy ms (parsing not
 * timed). The first `warmUpBatches` are triaged untimed, so that a cold crew is not timed while it compiles.
 */
async function agentsAlone(
  deps: Pick<PipelineDeps, "agents" | "configuration">,
  csv: string,
  batchSize: number,
  warmUpBatches = 0,
): Promise<{ triaged: number; busyMs: number }> {
  const config = await deps.configuration.load();
  const events = parseFeedbackFile(csv);
  let batch: FeedbackItem[] = [];
  let triaged = 0;
  let busyMs = 0;
  let untimed = warmUpBatches;
  const triage = async () => {
    const started = performance.now();
    await deps.agents.triage(batch, config);
    if (untimed > 0) untimed--;
    else {
      busyMs += performance.now() - started;
      triaged += batch.length;
    }
    batch = [];
  };
  for (let next = await events.next(); !next.done; next = await events.next()) {
    if (next.value.kind !== "item") continue;
    batch.push(next.value.item);
    if (batch.length === batchSize) await triage();
  }
  if (batch.length > 0) await triage();
  return { triaged, busyMs };
}

/**
 * The crew's items/s, timed before and after the pipeline: a shared machine's speed drifts over a run of minutes,
 * and the ratio's yardstick should not hang on one moment of it. The yardstick is both runs together.
 */
function crewFigures(before: { triaged: number; busyMs: number }, after: { triaged: number; busyMs: number }) {
  const rate = (r: { triaged: number; busyMs: number }) => r.triaged / (r.busyMs / 1000);
  return {
    itemsPerSecond: (before.triaged + after.triaged) / ((before.busyMs + after.busyMs) / 1000),
    beforePipeline: Math.round(rate(before)),
    afterPipeline: Math.round(rate(after)),
  };
}

/**
 * The rows limit against the pipeline and the crew: `rowsLimitToAgents` is the highest ratioToAgents the database
 * could allow if it did nothing but store the rows, one batch after another (on PGlite, on the main thread);
 * `databaseLimitToAgents` the same with the queue's receive and delete of each item's message added.
 */
function rowsLimitFigures(limit: RowsLimit, itemsPerSecond: number, agentsItemsPerSecond: number) {
  return {
    rowsLimit: {
      msPerItem: {
        storedRows: round2(limit.storedRowsMsPerItem),
        withQueueRow: round2(limit.withQueueRowMsPerItem),
        withQueueRoundTrip: round2(limit.withQueueRoundTripMsPerItem),
      },
      itemsPerSecond: Math.round(limit.itemsPerSecond),
      rows: limit.rows,
      msPerItemByTable: Object.fromEntries(Object.entries(limit.msPerItemByTable).map(([t, ms]) => [t, round2(ms)])),
    },
    ratioToRowsLimit: Number((itemsPerSecond / limit.itemsPerSecond).toFixed(2)),
    rowsLimitToAgents: Number((limit.itemsPerSecond / agentsItemsPerSecond).toFixed(2)),
    databaseLimitToAgents: Number((limit.withQueueRoundTripItemsPerSecond / agentsItemsPerSecond).toFixed(2)),
  };
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]", ""]);

/**
 * The rows limit, or why it could not be measured: on PostgreSQL the server reads and writes its COPY files in this
 * machine's temporary folder, which a remote server (or one without the rights) cannot; the pipeline's own figures
 * still stand.
 */
async function rowsLimitOrReason(measure: () => Promise<RowsLimit>): Promise<RowsLimit | string> {
  try {
    return await measure();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const progress = (line: string) => console.error(`[bench] ${line}`);
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * The main thread's heap still held once the run is over, after a full collection (with `node --expose-gc`): what
 * the run keeps, as against what a heap under no pressure has not yet collected. Flat in N means nothing per item
 * is kept.
 */
function heapHeldAfterRun(): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return null;
  gc();
  return process.memoryUsage().heapUsed;
}

function cpuCeiling(
  cpu: { process: number; mainThread: number; owner: number | null; server: number | null },
  items: number,
) {
  const allMsPerItem = (cpu.process + (cpu.owner ?? 0) + (cpu.server ?? 0)) / items;
  return Math.min((os.cpus().length * 1000) / allMsPerItem, 1000 / (cpu.mainThread / items));
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
  // The server's CPU is read from this machine's processes: only a server on this machine has it there.
  const localServer = database !== null && LOCAL_HOSTS.has(new URL(database.url).hostname);
  const { backend, database: db } = await openLocalBackend({ config, dataDir, databaseUrl: database?.url });
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 50);
  const latencies: number[] = [];
  try {
    const deps = await pipelineDeps(backend, config.agents, { mode: "offline" });
    progress("the crew alone, before the pipeline");
    const crewBefore = await agentsAlone(
      { agents: withReviewFlags(createOfflineAgents()), configuration: backend.configuration },
      csv,
      batchSize,
      8,
    );
    let ingestDone = false;
    let created = 0;
    const started = performance.now();
    const cpuAtStart = {
      process: process.cpuUsage(),
      mainThread: process.threadCpuUsage(),
      owner: owner?.cpuSeconds() ?? 0,
      server: localServer ? postgresServerCpuSeconds() : 0,
    };
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
    const worker = Promise.all(Array.from({ length: workerLoops }, workerLoop));
    const summary = await ingestFiles(backend, [csv], { batchSize: 1000 });
    ingestDone = true;
    const ingestSeconds = (performance.now() - started) / 1000;
    await worker;
    // The peaks are the pipeline's: the yardsticks measured next hold whole tables in memory.
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    const cpu = {
      process: cpuMs(process.cpuUsage(cpuAtStart.process)),
      mainThread: cpuMs(process.threadCpuUsage(cpuAtStart.mainThread)),
      owner: owner ? (owner.cpuSeconds() - cpuAtStart.owner) * 1000 : null,
      server: localServer ? (postgresServerCpuSeconds() - cpuAtStart.server) * 1000 : null,
    };
    const heldHeap = heapHeldAfterRun();
    latencies.sort((a, b) => a - b);
    const counts = await backend.tickets.counts();
    await deps.agents.close?.();
    progress(`pipeline: ${created} tickets in ${seconds.toFixed(1)} s; now the crew alone`);
    const crew = crewFigures(crewBefore, await agentsAlone(deps, csv, batchSize));
    const agentsItemsPerSecond = crew.itemsPerSecond;
    // Through the owner's socket there is no COPY input: the limit is measured with the database in this process.
    progress("now the rows limit (a COPY of the stored rows)");
    const rowsLimit = owner
      ? null
      : await rowsLimitOrReason(() => measureRowsLimit(db.sql, backend.queue.name, batchSize));
    const itemsPerSecond = created / seconds;
    console.log(
      JSON.stringify(
        {
          backend: database ? "postgres" : owner ? "pglite through its owner process" : "pglite",
          workerLoops,
          agentThread: config.agents.offlineThread,
          items,
          enqueued: summary.totals.enqueued,
          ticketsCreated: created,
          ticketsInDatabase: counts.total,
          seconds: Number(seconds.toFixed(2)),
          itemsPerSecond: Math.round(itemsPerSecond),
          agentsAloneItemsPerSecond: Math.round(agentsItemsPerSecond),
          agentsAlone: { beforePipeline: crew.beforePipeline, afterPipeline: crew.afterPipeline },
          ratioToAgents: Number((itemsPerSecond / agentsItemsPerSecond).toFixed(2)),
          ...(typeof rowsLimit === "string"
            ? { rowsLimit: `not measured: ${rowsLimit}` }
            : rowsLimit && rowsLimitFigures(rowsLimit, itemsPerSecond, agentsItemsPerSecond)),
          // Load-independent: where an item's CPU goes (on PGlite the database is in the main thread).
          cpuMsPerItem: {
            process: round2(cpu.process / items),
            mainThread: round2(cpu.mainThread / items),
            ...(cpu.owner === null ? {} : { databaseOwnerProcess: round2(cpu.owner / items) }),
            ...(cpu.server === null ? {} : { postgresServer: round2(cpu.server / items) }),
          },
          // The most the cores allow at this CPU per item, perfectly overlapped: all of it over the cores, and the
          // main thread's over one core (on PGlite the database runs there).
          cpuCeilingRatioToAgents: Number((cpuCeiling(cpu, items) / agentsItemsPerSecond).toFixed(2)),
          ingestItemsPerSecond: Math.round(summary.totals.enqueued / ingestSeconds),
          latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
          peakRssMiB: mib(peakRss),
          peakHeapUsedMiB: mib(peakHeap),
          ...(heldHeap === null ? {} : { heapHeldAfterRunMiB: mib(heldHeap) }),
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
