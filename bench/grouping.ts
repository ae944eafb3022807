/**
 * Duplicate grouping benchmark (issue #15): N generated reviews (the synthetic generator's templates, so many are
 * near-duplicates of one another) ingested into a fresh embedded folder, then processed by the worker
 * (`runWorkerService`, offline crew) with grouping off and on, each mode in a child process of its own so that
 * its peak RSS is its own. Prints per mode: the pipeline's items/s (ticket writes; the synchronous path), when
 * grouping finished after the last ticket was written (its catch-up), the largest lag `status` showed while it
 * ran, tickets left after grouping, and peak RSS.
 *
 *   npm run bench:grouping [-- --items 10000 --modes off,on]
 */

import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ingestFiles } from "../app/ingest/ingest-service.js";
import { secretResolver } from "../app/integrations/secrets.js";
import { runWorkerService } from "../app/worker/worker-service.js";
import { loadRuntimeConfig } from "../sdk/config/runtime.js";
import { writeSyntheticReviewsCsv } from "../sdk/ingest/synthetic.js";
import { openLocalBackend } from "../sdk/open-backend.js";
import { GroupingSettings } from "../sdk/schemas/grouping.js";
import { benchArgs, wholeNumber, withUsage } from "./support/bench-args.js";

const USAGE = "Usage: npm run bench:grouping [-- --items 10000 --modes off,on --batch-size 250]";
const values = benchArgs(USAGE, {
  items: { type: "string", default: "10000" },
  modes: { type: "string", default: "off,on" },
  "batch-size": { type: "string", default: "250" },
  child: { type: "string" },
});
const items = withUsage(USAGE, () => wholeNumber(values.items, "--items"));
const batchSize = withUsage(USAGE, () => wholeNumber(values["batch-size"], "--batch-size"));

async function runMode(mode: "off" | "on") {
  const work = await mkdtemp(path.join(os.tmpdir(), "ft-bench-grouping-"));
  const csv = path.join(work, "reviews.csv");
  await writeSyntheticReviewsCsv(csv, items, 42);
  const config = loadRuntimeConfig({});
  const { backend, database } = await openLocalBackend({ config, dataDir: path.join(work, "data"), role: "owner" });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    await backend.configuration.set(
      "grouping",
      GroupingSettings.parse({ ...(await backend.configuration.load()).grouping, enabled: mode === "on" }),
      "bench",
    );
    const summary = await ingestFiles(backend, [csv], { batchSize: 1000 });
    let lastWrite = 0;
    let created = 0;
    let maxLag = 0;
    let passes = 0;
    let embedded = 0;
    let encoded = 0;
    const timings = { embedMs: 0, decideMs: 0, applyMs: 0 };
    const lagSampler = setInterval(() => {
      backend.grouping
        .status()
        .then((s) => {
          maxLag = Math.max(maxLag, s.lagSeconds);
        })
        .catch(() => undefined);
    }, 1000);
    const started = performance.now();
    await runWorkerService(backend, {
      once: true,
      agents: "offline",
      agentsConfig: config.agents,
      secrets: secretResolver(config.credentialEnv),
      batchSize,
      onBatch: (outcome) => {
        created += outcome.created;
        lastWrite = performance.now();
      },
      onGroupingPass: (pass) => {
        passes += 1;
        embedded += pass.embedded;
        encoded += pass.encoded;
        timings.embedMs += pass.timings.embedMs;
        timings.decideMs += pass.timings.decideMs;
        timings.applyMs += pass.timings.applyMs;
      },
    });
    const finished = performance.now();
    clearInterval(lagSampler);
    const status = await backend.grouping.status();
    // Each ticket's wait between its write and the grouping stage's decision: the lag items saw.
    const { rows } = await database.sql.query<{ p50: number | null; p95: number | null; max: number | null }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY s) AS p95,
              max(s) AS max FROM (SELECT extract(epoch FROM grouped_at - created_at)::float8 AS s FROM tickets
              WHERE grouped_at IS NOT NULL) x`,
    );
    const round = (v: number | null | undefined) => (v == null ? null : Number(Number(v).toFixed(1)));
    const lag = mode === "on" ? { p50: round(rows[0]?.p50), p95: round(rows[0]?.p95), max: round(rows[0]?.max) } : null;
    const counts = await backend.tickets.counts();
    const pipelineSeconds = (lastWrite - started) / 1000;
    return {
      mode,
      items,
      enqueued: summary.totals.enqueued,
      ticketsCreated: created,
      pipelineSeconds: Number(pipelineSeconds.toFixed(2)),
      pipelineItemsPerSecond: Math.round(created / pipelineSeconds),
      totalSeconds: Number(((finished - started) / 1000).toFixed(2)),
      groupingCatchUpSeconds: mode === "on" ? Number(((finished - lastWrite) / 1000).toFixed(2)) : null,
      groupingItemsPerSecond: mode === "on" ? Math.round(created / ((finished - started) / 1000)) : null,
      maxLagSecondsSeenByStatus: mode === "on" ? Number(maxLag.toFixed(1)) : null,
      groupingPasses: passes,
      groupingSecondsBy: {
        embed: Number((timings.embedMs / 1000).toFixed(1)),
        compare: Number((timings.decideMs / 1000).toFixed(1)),
        write: Number((timings.applyMs / 1000).toFixed(1)),
      },
      lagSeconds: lag,
      embedded,
      encoded,
      ticketsAfter: counts.total,
      folded: status.merged,
      suggestions: status.pendingSuggestions,
      stillPending: mode === "on" ? status.pending : null,
      peakRssMiB: Math.round(peakRss / 1024 / 1024),
      node: process.version,
      cpus: os.cpus().length,
    };
  } finally {
    clearInterval(sampler);
    await backend.close();
    await rm(work, { recursive: true, force: true });
  }
}

if (values.child) {
  console.log(JSON.stringify(await runMode(values.child as "off" | "on")));
} else {
  const self = fileURLToPath(import.meta.url);
  for (const mode of values.modes.split(",")) {
    const child = spawnSync(process.execPath, [self, "--child", mode, "--items", String(items)], {
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    });
    if (child.status !== 0) {
      process.stderr.write(child.stderr);
      process.exit(child.status ?? 1);
    }
    const result = JSON.parse(child.stdout.trim().split("\n").at(-1)!);
    console.log(JSON.stringify(result, null, 2));
  }
}
