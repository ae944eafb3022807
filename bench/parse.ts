/** Parser throughput: `node dist/bench/parse.js --rows 100000` prints rows/s for a generated review CSV. */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseFeedbackFile } from "../sdk/ingest/index.js";
import { writeSyntheticReviewsCsv } from "../sdk/ingest/synthetic.js";
import { benchArgs, wholeNumber, withUsage } from "./support/bench-args.js";

const USAGE = "Usage: node dist/bench/parse.js [--rows 100000]";
const values = benchArgs(USAGE, { rows: { type: "string", default: "100000" } });
const rows = withUsage(USAGE, () => wholeNumber(values.rows, "--rows"));
const dir = await mkdtemp(path.join(os.tmpdir(), "ft-parse-"));
const file = path.join(dir, "reviews.csv");
await writeSyntheticReviewsCsv(file, rows, 5);
const started = performance.now();
let valid = 0;
for await (const event of parseFeedbackFile(file)) if (event.kind === "item") valid++;
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    rows,
    valid,
    seconds: Number(seconds.toFixed(2)),
    rowsPerSecond: Math.round(valid / seconds),
    peakHeapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  }),
);
await rm(dir, { recursive: true, force: true });
