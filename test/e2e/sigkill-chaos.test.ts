import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StatusJson } from "../../cli/output-schemas.js";
import { openDatabase } from "../../sdk/db/open-database.js";
import { createScratchDatabase } from "../../sdk/db/scratch-database.js";
import { writeSyntheticReviewsCsv } from "../../sdk/ingest/synthetic.js";
import { runCli, startCli } from "../support/cli.js";
import { testBackend } from "../support/database.js";

// CHAOS=1 runs the full figure (20,000 items, 10 kills: several minutes per backend); by default a
// smaller run that still kills 5 times. CHAOS_ITEMS, CHAOS_KILLS and CHAOS_SEED override them.
const full = Boolean(process.env.CHAOS);
const ITEMS = Number(process.env.CHAOS_ITEMS ?? (full ? 20_000 : 3_000));
const KILLS = Number(process.env.CHAOS_KILLS ?? (full ? 10 : 5));
const SEED = Number(process.env.CHAOS_SEED ?? 20_261_206);

// About the time a worker needs for ITEMS / KILLS items (~300 a second here), so that the kills spread over the run.
const SPAN_MS = Math.max(500, (ITEMS / KILLS / 300) * 1000);

/** The seeded moment of kill `i` after the worker said it started: 1 s (its first batch) + 0.5-1.5 SPAN_MS. */
function killDelayMs(i: number): number {
  const fraction = (((SEED + i * 7_919) * 104_729) % 1_000) / 1_000;
  return 1_000 + Math.round(SPAN_MS * (0.5 + fraction));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`SIGKILL chaos on ${testBackend}: ${ITEMS} items, ${KILLS} kills`, () => {
  let env: NodeJS.ProcessEnv = {};
  let dropDatabase = async (): Promise<void> => undefined;
  beforeAll(async () => {
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) return;
    const scratch = await createScratchDatabase(adminUrl, "ft_chaos");
    env = { DATABASE_URL: scratch.url };
    dropDatabase = scratch.drop;
  });
  afterAll(() => dropDatabase());

  it("ends with exactly one ticket per item and an empty queue and DLQ", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "ft-chaos-"));
    const file = path.join(cwd, "reviews.csv");
    await writeSyntheticReviewsCsv(file, ITEMS, SEED);
    const status = async () => {
      const result = await runCli(["status", "--json"], { cwd, env });
      expect(result.code).toBe(0);
      return StatusJson.parse(JSON.parse(result.stdout));
    };
    const ingest = await runCli(["ingest", file, "--json"], { cwd, env });
    expect(ingest.stderr).toBe("");
    expect(ingest.code).toBe(0);

    // The worker is killed KILLS times at seeded moments and restarted each time; a killed worker's batch
    // comes back after the 1 s visibility timeout (as in crash-recovery.test.ts).
    const ticketsAfterKill: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const worker = await startCli(["worker", "--batch-size", "50", "--visibility-timeout", "1"], {
        cwd,
        env,
        ready: /Worker started/,
      });
      await pause(killDelayMs(kill));
      worker.child.kill("SIGKILL");
      await worker.exited;
      // Each status call opens the database: only after the first and the last kill, to keep the run short.
      if (kill === 0 || kill === KILLS - 1) ticketsAfterKill.push((await status()).tickets.total);
    }
    // Then run until nothing is left: visible, hidden by a killed worker, or delayed for a retry.
    for (let round = 0; ; round++) {
      const now = await status();
      if (now.queue.visible + now.queue.inFlight + now.queue.delayed === 0) break;
      expect(round).toBeLessThan(20);
      await pause(1_100);
      const finish = await runCli(["worker", "--once", "--visibility-timeout", "1"], { cwd, env });
      expect(finish.code).toBe(0);
    }

    const final = await status();
    expect(ticketsAfterKill[0]).toBeLessThan(ITEMS); // The first kill came mid-run.
    expect(final.tickets.total).toBe(ITEMS);
    expect(final.queue).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
    expect(final.dlq.depth).toBe(0);

    const db = await openDatabase(
      env.DATABASE_URL
        ? { databaseUrl: env.DATABASE_URL, migrations: "skip" }
        : { dataDir: path.join(cwd, ".feedback-triage") },
    );
    try {
      const count = async (sql: string) => (await db.sql.query<{ n: number }>(sql)).rows[0]?.n;
      expect(await count("SELECT count(*)::int AS n FROM tickets")).toBe(ITEMS);
      expect(await count("SELECT count(DISTINCT (source_type, source_id))::int AS n FROM tickets")).toBe(ITEMS);
      expect(await count("SELECT count(*)::int AS n FROM feedback_items")).toBe(ITEMS);
      expect(await count("SELECT count(DISTINCT (source_type, source_id))::int AS n FROM feedback_items")).toBe(ITEMS);
      expect(await count("SELECT count(*)::int AS n FROM queue_messages")).toBe(0);
    } finally {
      await db.close();
    }
    console.info(
      `chaos ${testBackend}: ${KILLS} kills, tickets after the first and last: ${ticketsAfterKill.join(", ")}`,
    );
  }, 600_000);
});
