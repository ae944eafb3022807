import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { IngestSummaryJson } from "../../cli/output-schemas.js";
import { writeSyntheticReviewsCsv } from "../../sdk/ingest/synthetic.js";
import { type RunningCli, runCli, startCli } from "../support/cli.js";
import { useCliWorkspace } from "../support/cli-workspace.js";
import { testBackend } from "../support/database.js";

const ITEMS = 5_000;
const SECRET_ENV = { FEEDBACK_WEBHOOK_SECRET_GENERIC: "signals-test-secret", FEEDBACK_LOG_LEVEL: "warn" };

/** Sends `signal` and waits for the exit: the code, how long it took, and what the command printed. */
async function stopWith(cli: RunningCli, ...signals: NodeJS.Signals[]) {
  const sent = Date.now();
  for (const [index, signal] of signals.entries()) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    cli.child.kill(signal);
  }
  const code = await cli.exited;
  const output = cli.output();
  const ms = Date.now() - sent;
  console.log(
    `${cli.child.spawnargs.slice(2).join(" ")} (${testBackend}): ${signals.join(", ")} -> exit ${code} in ${ms} ms`,
  );
  expect(output).not.toMatch(/unsettled top-level await/);
  return { code, ms, output };
}

/** Processes whose parent is `pid` (Linux). */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return children;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Lets a command that just became ready work for a while (cheaper than polling `status` through it). */
const busyFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntilGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Generous timeouts: on a loaded machine each command takes seconds to open the embedded database.
describe(
  `SIGINT / SIGTERM stop the long-running commands after the batch in hand (${testBackend})`,
  { timeout: 180_000 },
  () => {
    const workspace = useCliWorkspace("ft-signals-");
    let file = "";

    it("ingest --wait: SIGINT exits 130 with how to resume; running it again finishes", async () => {
      const { cwd, env } = workspace;
      file = path.join(cwd, "reviews.csv");
      await writeSyntheticReviewsCsv(file, 3_000, 5);
      await workspace.status(); // creates the embedded database, so that the ingest starts at once

      // Stopped once the first batch is committed, whatever the machine's speed: debug logs each batch.
      const ingest = await startCli(["ingest", file, "--wait"], {
        cwd,
        env: { ...env(), FEEDBACK_LOG_LEVEL: "debug" },
        ready: /"event":"worker\.batch"/,
      });
      const { code, ms, output } = await stopWith(ingest, "SIGINT");
      expect(code, output).toBe(130);
      expect(ms).toBeLessThan(10_000);
      const interrupted =
        /Interrupted by SIGINT after the batch in hand \((\d+) items enqueued, (\d+) processed\)/.exec(output);
      expect(interrupted, output).not.toBeNull();
      expect(output).toMatch(/run the same command again: rows that already have a ticket are skipped as duplicates/);
      expect(output).toMatch(/feedback-cli worker/);
      const processed = Number(interrupted![2]);
      const between = await workspace.status();
      expect(between.tickets.total).toBe(processed);
      expect(between.queue.inFlight).toBe(0);

      const enqueuedBefore = Number(interrupted![1]);
      const again = await runCli(["ingest", file, "--wait", "--json"], { cwd, env: env() });
      expect(again.code, again.stderr).toBe(0);
      // Rows that already have a ticket are skipped, the rest ingested. The first run's leftovers in the
      // queue are processed while the file is read again, so some of them may count as skipped too.
      const totals = IngestSummaryJson.parse(JSON.parse(again.stdout)).totals;
      expect(totals.duplicatesSkipped + totals.enqueued).toBe(3_000);
      expect(totals.duplicatesSkipped).toBeGreaterThanOrEqual(processed);
      expect(totals.duplicatesSkipped).toBeLessThanOrEqual(enqueuedBefore);
      const final = await workspace.status();
      expect(final.tickets.total).toBe(3_000);
      expect(final.queue).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
    });

    it("serve: SIGTERM stops the server and its busy worker within seconds, exit 0", async () => {
      const { cwd, env } = workspace;
      const more = path.join(cwd, "more.csv");
      await writeSyntheticReviewsCsv(more, ITEMS, 6);
      const ingest = await runCli(["ingest", more, "--json"], { cwd, env: env() });
      expect(ingest.code, ingest.stderr).toBe(0);
      const before = (await workspace.status()).tickets.total;

      const serve = await startCli(["serve", "--port", "0"], {
        cwd,
        env: { ...env(), ...SECRET_ENV, FEEDBACK_LOG_LEVEL: "debug" },
        ready: /worker\.batch/,
      });
      const { code, ms, output } = await stopWith(serve, "SIGTERM");
      expect(code, output).toBe(0);
      expect(ms).toBeLessThan(5_000);
      const created = Number(/Stopped\. Requests answered: none\. Worker: (\d+) tickets created/.exec(output)?.[1]);
      expect(created, output).toBeGreaterThan(0);
      const after = await workspace.status();
      expect(after.tickets.total).toBe(before + created);
      expect(after.queue.inFlight).toBe(0);
      expect(after.queue.visible).toBeGreaterThan(0);
    });

    it("dashboard: SIGTERM stops the CLI and the server it started (no process left), exit 0", async () => {
      const { cwd, env } = workspace;
      const before = (await workspace.status()).tickets.total;
      const dashboard = await startCli(["dashboard", "--port", "0"], { cwd, env: env(), ready: /Dashboard on http/ });
      const [server] = await childrenOf(dashboard.child.pid!);
      expect(server).toBeDefined();
      await busyFor(2_000);
      const { code, ms, output } = await stopWith(dashboard, "SIGTERM");
      expect(code, output).toBe(0);
      expect(ms).toBeLessThan(5_000);
      expect(isRunning(server!)).toBe(false);
      const after = await workspace.status();
      // The dashboard runs the worker in its server only when that owns the embedded database.
      if (testBackend === "pglite") expect(after.tickets.total).toBeGreaterThan(before);
      expect(after.queue.inFlight).toBe(0);
    });

    it("dashboard: its server stops too when the CLI is killed outright", async () => {
      const { cwd, env } = workspace;
      const dashboard = await startCli(["dashboard", "--port", "0"], { cwd, env: env(), ready: /Dashboard on http/ });
      const [server] = await childrenOf(dashboard.child.pid!);
      expect(server).toBeDefined();
      dashboard.child.kill("SIGKILL");
      await dashboard.exited;
      await waitUntilGone(server!, 10_000);
    });

    it("worker: a second signal exits without finishing the batch in hand, with 143", async () => {
      const { cwd, env } = workspace;
      // Large batches, so that the second signal comes while the first batch is still in hand. On the
      // embedded database a batch's queries run without a break, so the exit comes at its next turn.
      const worker = await startCli(["worker", "--batch-size", "1000"], { cwd, env: env(), ready: /Worker started/ });
      await busyFor(1_000);
      const { code, ms, output } = await stopWith(worker, "SIGTERM", "SIGTERM");
      expect(code, output).toBe(143);
      expect(ms).toBeLessThan(10_000);
      expect(output).not.toMatch(/Stopped \(SIGTERM\)/);
    });
  },
);
