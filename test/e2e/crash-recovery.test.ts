import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { StatusJson, TicketsListJson } from "../../cli/output-schemas.js";
import { writeSyntheticReviewsCsv } from "../../sdk/ingest/synthetic.js";
import { runCli, startCli } from "../support/cli.js";
import { testBackend } from "../support/database.js";

const ITEMS = 1000;

describe.skipIf(testBackend === "postgres")("worker killed with SIGKILL mid-run", () => {
  it("ends with exactly one ticket per item after restarts", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "ft-crash-"));
    const file = path.join(cwd, "reviews.csv");
    await writeSyntheticReviewsCsv(file, ITEMS, 7);
    const ingest = await runCli(["ingest", file, "--json"], { cwd });
    expect(ingest.code).toBe(0);

    // Up to six SIGKILLs at random points of the run; a final run then finishes what is left.
    const afterKill: number[] = [];
    for (let round = 0; round < 6; round++) {
      const worker = await startCli(["worker", "--batch-size", "20", "--visibility-timeout", "1"], {
        cwd,
        ready: /Worker started/,
      });
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.floor(Math.random() * 300)));
      worker.child.kill("SIGKILL");
      await worker.exited;
      const status = StatusJson.parse(JSON.parse((await runCli(["status", "--json"], { cwd })).stdout));
      afterKill.push(status.tickets.total);
      if (status.tickets.total === ITEMS) break;
      // The batch a killed worker held becomes visible again after the 1 s visibility timeout.
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    const finish = await runCli(["worker", "--once", "--json"], { cwd });
    expect(finish.code).toBe(0);

    const status = StatusJson.parse(JSON.parse((await runCli(["status", "--json"], { cwd })).stdout));
    expect(afterKill[0]).toBeLessThan(ITEMS);
    expect(status.tickets.total).toBe(ITEMS);
    expect(status.queue).toMatchObject({ visible: 0, inFlight: 0 });
    expect(status.dlq.depth).toBe(0);
    const all = TicketsListJson.parse(
      JSON.parse((await runCli(["tickets", "list", "--limit", "1000", "--json"], { cwd })).stdout),
    );
    expect(new Set(all.map((t) => t.sourceId)).size).toBe(ITEMS);
  }, 300_000);
});
