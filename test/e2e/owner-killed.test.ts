import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { StatusJson } from "../../cli/output-schemas.js";
import { writeSyntheticReviewsCsv } from "../../sdk/ingest/synthetic.js";
import { runCli, startCli } from "../support/cli.js";
import { testBackend } from "../support/database.js";

// The embedded database's owner dying under a client; PostgreSQL has no owner process.
describe.skipIf(testBackend === "postgres")("a client whose database owner is killed", () => {
  it("exits 1 with one clear line, no stack trace", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "ft-owner-killed-"));
    const file = path.join(cwd, "reviews.csv");
    await writeSyntheticReviewsCsv(file, 5000, 11);
    const owner = await startCli(["worker"], { cwd, ready: /Worker started/ });
    const client = runCli(["ingest", file, "--wait", "--json"], { cwd });
    try {
      // Until the client is writing through the owner.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const status = StatusJson.parse(JSON.parse((await runCli(["status", "--json"], { cwd })).stdout));
        if (writtenOf(status) > 0) break;
        if (Date.now() > deadline) throw new Error("the client never wrote");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      owner.child.kill("SIGKILL");
      await owner.exited;
    }
    const result = await client;
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      new RegExp(
        `^error: The process that owned the database folder .*\\.feedback-triage stopped \\(pid ${owner.child.pid}\\b`,
      ),
    );
    expect(lines.length).toBeLessThanOrEqual(2); // The line and its hint.
    expect(result.stderr).toMatch(/Re-run the command/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toMatch(/Unhandled 'error' event/);

    // The next command takes the folder over and finds what the client wrote (queued, or already tickets).
    const after = await runCli(["status", "--json"], { cwd });
    expect(after.code).toBe(0);
    expect(writtenOf(StatusJson.parse(JSON.parse(after.stdout)))).toBeGreaterThan(0);
  }, 180_000);
});

const writtenOf = (status: StatusJson) => status.tickets.total + status.queue.visible + status.queue.inFlight;
