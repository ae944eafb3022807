/**
 * Memory of an mbox ingest parse: `node dist/bench/mbox.js` writes mbox archives of 10 MB and 100 MB (support mail:
 * four in five messages short, one in five carrying a 200 KB attachment), parses each in its own process and prints
 * messages/s and peak RSS, and the 100 MB run's peak as a ratio of the 10 MB run's (flat memory: close to 1).
 */
import { execFileSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseFeedbackFile } from "../sdk/ingest/index.js";

const { values } = parseArgs({
  options: { child: { type: "string" }, sizes: { type: "string", default: "10,100" } },
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

async function child(file: string): Promise<void> {
  const started = performance.now();
  let items = 0;
  for await (const event of parseFeedbackFile(file)) if (event.kind === "item") items++;
  const seconds = (performance.now() - started) / 1000;
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    JSON.stringify({ items, seconds: Number(seconds.toFixed(1)), perSecond: Math.round(items / seconds), peakRssMiB }),
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
  }[] = [];
  for (const megabytes of values.sizes.split(",").map(Number)) {
    const file = path.join(dir, `mail-${megabytes}.mbox`);
    const messages = await writeMbox(file, megabytes * 1024 * 1024);
    const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--child", file], {
      encoding: "utf8",
    });
    runs.push({ megabytes, messages, ...JSON.parse(output) });
    await rm(file);
  }
  await rm(dir, { recursive: true, force: true });
  for (const run of runs) console.log(JSON.stringify(run));
  const [small, large] = [runs[0], runs.at(-1)];
  if (small && large && small !== large) {
    console.log(
      `peak RSS ${large.megabytes} MB / ${small.megabytes} MB: ${(large.peakRssMiB / small.peakRssMiB).toFixed(2)}x (flat: <= 1.25x)`,
    );
  }
}
