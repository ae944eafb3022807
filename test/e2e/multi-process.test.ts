import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { IngestSummaryJson, StatusJson, TicketsListJson } from "../../cli/output-schemas.js";
import { runCli, sampleDir, startCli } from "../support/cli.js";
import { testBackend } from "../support/database.js";

const reviews = path.join(sampleDir, "app_store_reviews.csv");
const emails = path.join(sampleDir, "support_emails.csv");

async function status(cwd: string) {
  const result = await runCli(["status", "--json"], { cwd });
  expect(result.stderr).toBe("");
  return StatusJson.parse(JSON.parse(result.stdout));
}

async function waitFor(predicate: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("condition not met in time");
}

// These exercise the embedded database's single-owner rule; PostgreSQL needs none of it.
describe.skipIf(testBackend === "postgres")("several feedback-cli processes on one embedded database", () => {
  it("lets ingest and tickets list run through a running worker, losing nothing", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "ft-mp-"));
    const worker = await startCli(["worker"], { cwd, ready: /Worker started/ });
    try {
      const [ingestReviews, ingestEmails, listing] = await Promise.all([
        runCli(["ingest", reviews, "--json"], { cwd }),
        runCli(["ingest", emails, "--json"], { cwd }),
        runCli(["tickets", "list", "--json"], { cwd }),
      ]);
      for (const result of [ingestReviews, ingestEmails, listing]) {
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
      }
      expect(IngestSummaryJson.parse(JSON.parse(ingestReviews.stdout)).totals.enqueued).toBe(30);
      expect(IngestSummaryJson.parse(JSON.parse(ingestEmails.stdout)).totals.enqueued).toBe(20);
      TicketsListJson.parse(JSON.parse(listing.stdout));
      await waitFor(async () => (await status(cwd)).tickets.total === 50);
    } finally {
      worker.child.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
    }
    const reopened = await status(cwd);
    expect(reopened.tickets.total).toBe(50);
    expect(reopened.queue).toMatchObject({ visible: 0, inFlight: 0 });
  });

  it("runs two ingest calls at once without an owner running: one owns, the other goes through it", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "ft-mp2-"));
    const [first, second] = await Promise.all([
      runCli(["ingest", reviews, "--wait", "--json"], { cwd }),
      runCli(["ingest", emails, "--wait", "--json"], { cwd }),
    ]);
    expect(first.stderr).toBe("");
    expect(second.stderr).toBe("");
    expect([first.code, second.code]).toEqual([0, 0]);
    const final = await status(cwd);
    expect(final.tickets.total).toBe(50);
    expect(final.queue).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("makes a second worker wait for the owner to exit, then take the folder over", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "ft-mp3-"));
    const worker = await startCli(["worker"], { cwd, ready: /Worker started/ });
    const second = await startCli(["worker", "--once"], { cwd, ready: /waiting for \d+/ }).catch((error) => {
      worker.child.kill("SIGTERM");
      throw error;
    });
    try {
      expect(second.output()).toMatch(
        new RegExp(`waiting for ${worker.child.pid} \\(.*worker.*\\) to release .*\\.feedback-triage…`),
      );
      expect(second.output()).not.toMatch(/Worker started/);
    } finally {
      worker.child.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
    }
    // Once the first worker is gone the second one owns the folder and runs (until the queue is empty).
    expect(await second.exited).toBe(0);
    expect(second.output()).toMatch(/Worker started on embedded PGlite at .*\.feedback-triage \(until/);
    expect(second.output()).not.toMatch(/through the process that owns it/);
  });
});
