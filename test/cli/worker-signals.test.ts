import path from "node:path";
import { describe, expect, it } from "vitest";
import { IngestSummaryJson, WorkerRunJson } from "../../cli/output-schemas.js";
import { writeSyntheticReviewsCsv } from "../../sdk/ingest/synthetic.js";
import { runCli, startCli } from "../support/cli.js";
import { useCliWorkspace } from "../support/cli-workspace.js";
import { testBackend } from "../support/database.js";

const ITEMS = 30_000;

/**
 * Issue #11: SIGTERM to a worker with a full queue returns within seconds, having finished (or released)
 * the batch in hand, and the next run finishes the queue: nothing lost, nothing processed twice. On the
 * embedded database the loop used to see the signal only once the queue was empty.
 */
describe(`feedback-cli worker stopped by SIGTERM with ${ITEMS} items queued (${testBackend})`, () => {
  const workspace = useCliWorkspace("ft-worker-signals-");

  it("stops within 10 s, releases what it did not start, and the next run finishes the queue", async () => {
    const { cwd, env, status } = workspace;
    const file = path.join(cwd, "reviews.csv");
    await writeSyntheticReviewsCsv(file, ITEMS, 11);
    const ingest = await runCli(["ingest", file, "--json"], { cwd, env: env() });
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(IngestSummaryJson.parse(JSON.parse(ingest.stdout)).totals.enqueued).toBe(ITEMS);

    const worker = await startCli(["worker"], { cwd, env: env(), ready: /Worker started/ });
    // Some batches done (read through the worker on the embedded database), most of the queue left.
    await workspace.waitForStatus((s) => s.tickets.total >= 200);
    const signalled = Date.now();
    worker.child.kill("SIGTERM");
    const code = await worker.exited;
    const stopMs = Date.now() - signalled;
    console.log(`worker (${testBackend}) stopped ${stopMs} ms after SIGTERM with ${ITEMS} items queued`);

    const output = worker.output();
    expect(output).not.toMatch(/unsettled top-level await/);
    expect(code, output).toBe(0);
    expect(stopMs).toBeLessThan(10_000);
    const stopped =
      /Stopped \(SIGTERM\) after ([\d,]+) item\(s\): ([\d,]+) tickets created, 0 duplicates; ([\d,]+) left in the queue/.exec(
        output,
      );
    expect(stopped, output).not.toBeNull();
    const [processed, created, left] = stopped!.slice(1).map((n) => Number(n.replaceAll(",", ""))) as [
      number,
      number,
      number,
    ];
    // While it ran it said how far it got, in items.
    expect(output).toMatch(/\d\d:\d\d:\d\d processed [\d,]+ item\(s\): [\d,]+ tickets created/);
    expect(processed).toBe(created);
    expect(left).toBeGreaterThan(0);
    expect(processed + left).toBe(ITEMS);

    // Nothing is left hidden for the visibility timeout: the next worker gets all of it at once.
    const between = await status();
    expect(between.tickets.total).toBe(processed);
    expect(between.queue).toMatchObject({ visible: left, inFlight: 0, delayed: 0 });

    const finish = await runCli(["worker", "--once", "--json"], { cwd, env: env(), timeoutMs: 180_000 });
    expect(finish.code, finish.stderr).toBe(0);
    const second = WorkerRunJson.parse(JSON.parse(finish.stdout));
    expect(second).toMatchObject({ received: left, created: left, duplicates: 0, failed: 0 });

    const final = await status();
    expect(final.tickets.total).toBe(ITEMS);
    expect(final.queue).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
    expect(final.dlq.depth).toBe(0);
  }, 240_000);
});
