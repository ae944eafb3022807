/**
 * Memory of an mbox ingest: `node dist/bench/mbox.js` writes mbox archives of 10 MB and 100 MB (support mail:
 * four in five messages short, one in five carrying a 200 KB attachment), parses each in its own process and prints
 * messages/s and peak RSS, and the 100 MB run's peak as a ratio of the 10 MB run's (flat memory: close to 1).
 * With `--ingest` each process runs the whole ingest instead (ingestFiles, as `feedback-cli ingest` does: parse,
 * validate, duplicate check, enqueue) into a fresh local backend (PGlite) of its own.
 */
import { execFileSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ingestFiles } from "../app/ingest/ingest-service.js";
import { loadRuntimeConfig } from "../sdk/config/runtime.js";
import { parseFeedbackFile } from "../sdk/ingest/index.js";
import { openBackend } from "../sdk/open-backend.js";
import { benchArgs } from "./support/bench-args.js";

const USAGE = "Usage: node dist/bench/mbox.js [--sizes 10,100] [--ingest]";
const values = benchArgs(USAGE, {
  child: { type: "string" },
  sizes: { type: "string", default: "10,100" },
  ingest: { type: "boolean", default: false },
});

const COMPLAINTS = [
  "The app crashes when I open the camera on my Pixel 8 since version 4.2.",
  "Please add a dark mode, the white screen hurts at night.",
  "I was charged twice for my subscription this month, please refund one payment.",
  "Sync stopped working after the update; my notes from the tablet never show up on the phone.",
  "Love the new widgets, thank you!",
];

function message(i: number): string {
  const text = `${COMPLAINTS[i % COMPLAINTS.length]} (ticket reference ${i})\n\nThanks,\nCustomer ${i}`;
  const headers = `From customer${i}@example.com Mon Nov 23 10:00:00 2026\nFrom: Customer ${i} <customer${i}@example.com>\nTo: support@example.com\nSubject: Feedback ${i}\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMessage-ID: <bench-${i}@example.com>\nMIME-Version: 1.0\n`;
  if (i % 5 !== 0) return `${headers}Content-Type: text/plain; charset=UTF-8\n\n${text}\n\n`;
  const attachment = Buffer.alloc(200 * 1024, i % 251)
    .toString("base64")
    .replace(/.{76}/g, "$&\n");
  return `${headers}Content-Type: multipart/mixed; boundary="b${i}"\n\n--b${i}\nContent-Type: text/plain; charset=UTF-8\n\n${text}\n--b${i}\nContent-Type: application/octet-stream; name="log-${i}.bin"\nContent-Transfer-Encoding: base64\n\n${attachment}\n--b${i}--\n\n`;
}

async function writeMbox(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file);
  let written = 0;
  let count = 0;
  while (written < bytes) {
    const chunk = message(count++);
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(resolve));
  return count;
}

async function parseOnly(file: string): Promise<number> {
  let items = 0;
  for await (const event of parseFeedbackFile(file)) if (event.kind === "item") items++;
  return items;
}

const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

/**
 * One archive in this process: parsed, or (--ingest) ingested into a fresh local backend next to it, timed from
 * the backend being open. Opening and migrating PGlite makes the process's peak whatever the archive, so with
 * --ingest the RSS is also sampled during the ingest itself (`ingestPeakRssMiB`), which the ratio compares.
 */
async function child(file: string): Promise<void> {
  // The defaults, whatever the shell has set: a fresh local database of its own.
  const backend = values.ingest ? await openBackend({ config: loadRuntimeConfig({}), dataDir: `${file}.data` }) : null;
  let ingestPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    ingestPeak = Math.max(ingestPeak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const items = backend
    ? (await ingestFiles(backend, [file], { batchSize: 250 })).totals.enqueued
    : await parseOnly(file);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const ingestPeakRssMiB = backend ? { ingestPeakRssMiB: Math.round(ingestPeak / 1024 / 1024) } : {};
  await backend?.close();
  console.log(
    JSON.stringify({
      items,
      seconds: Number(seconds.toFixed(1)),
      perSecond: Math.round(items / seconds),
      peakRssMiB: peakRssMiB(),
      ...ingestPeakRssMiB,
    }),
  );
}

if (values.child) {
  await child(values.child);
} else {
  const dir = await mkdtemp(path.join(os.tmpdir(), "ft-mbox-"));
  const runs: {
    megabytes: number;
    messages: number;
    items: number;
    seconds: number;
    perSecond: number;
    peakRssMiB: number;
    ingestPeakRssMiB?: number;
  }[] = [];
  for (const megabytes of values.sizes.split(",").map(Number)) {
    const file = path.join(dir, `mail-${megabytes}.mbox`);
    const messages = await writeMbox(file, megabytes * 1024 * 1024);
    const mode = values.ingest ? ["--ingest"] : [];
    const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--child", file, ...mode], {
      encoding: "utf8",
    });
    runs.push({ megabytes, messages, ...JSON.parse(output) });
    await rm(file);
    await rm(`${file}.data`, { recursive: true, force: true });
  }
  await rm(dir, { recursive: true, force: true });
  for (const run of runs) console.log(JSON.stringify(run));
  const [small, large] = [runs[0], runs.at(-1)];
  if (small && large && small !== large) {
    const peak = (run: typeof small) => run.ingestPeakRssMiB ?? run.peakRssMiB;
    const what = values.ingest ? "peak RSS during the ingest" : "peak RSS";
    console.log(
      `${what} ${large.megabytes} MB / ${small.megabytes} MB: ${(peak(large) / peak(small)).toFixed(2)}x (flat: <= 1.25x)`,
    );
  }
}
