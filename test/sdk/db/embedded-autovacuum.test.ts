import { setTimeout as delay } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import {
  EMBEDDED_STATISTICS_TARGET,
  runAutovacuumPass,
  startEmbeddedAutovacuum,
} from "../../../sdk/db/embedded-autovacuum.js";
import { migrate } from "../../../sdk/db/migrate.js";
import { openDatabase } from "../../../sdk/db/open-database.js";
import { PgliteSqlClient } from "../../../sdk/db/pglite-client.js";
import type { SqlClient } from "../../../sdk/db/sql.js";
import { LocalQueue } from "../../../sdk/local/queue.js";
import { createPgliteFromTemplate } from "../../support/pglite-template.js";
import { migratedDataDir, removeTempDirs } from "./embedded-folder.js";

/** The feature is PGlite's (a server has its own autovacuum), so these run on PGlite whatever the suite's backend. */
async function createPgliteSqlClient(): Promise<SqlClient> {
  const sql = new PgliteSqlClient(await createPgliteFromTemplate());
  await migrate(sql);
  return sql;
}

/** Sends `count` feedback-sized messages through the queue and deletes them, as the worker does. */
async function churnQueue(sql: SqlClient, count: number): Promise<void> {
  const queue = await LocalQueue.open(sql, "feedback");
  await queue.send(Array.from({ length: count }, (_, n) => ({ body: { text: "x".repeat(700), n } })));
  for (let batch = await queue.receive({ maxMessages: 250 }); batch.length > 0; ) {
    await queue.deleteBatch(batch.map((m) => m.receiptHandle));
    batch = await queue.receive({ maxMessages: 250 });
  }
}

async function queueTable(sql: SqlClient): Promise<{ deadRows: number; heapBytes: number }> {
  await sql.query("SELECT pg_stat_force_next_flush()");
  await sql.query("SELECT pg_stat_clear_snapshot()");
  const { rows } = await sql.query<{ deadRows: number; heapBytes: number }>(
    `SELECT n_dead_tup::int AS "deadRows", pg_relation_size('queue_messages')::int AS "heapBytes"
       FROM pg_stat_user_tables WHERE relname = 'queue_messages'`,
  );
  return rows[0]!;
}

describe("the embedded database's autovacuum pass", () => {
  it("vacuums the queue's table once its dead rows pass autovacuum's threshold, giving the space back", async () => {
    const sql = await createPgliteSqlClient();
    await churnQueue(sql, 2_000);
    const before = await queueTable(sql);
    expect(before.deadRows).toBeGreaterThan(2_000);

    const pass = await runAutovacuumPass(sql);

    expect(pass.vacuumed).toContain("queue_messages");
    const after = await queueTable(sql);
    expect(after.deadRows).toBe(0);
    expect(after.heapBytes).toBeLessThan(before.heapBytes / 10);
    await sql.close();
  });

  it("analyzes a table whose rows changed enough, at the embedded statistics target", async () => {
    const sql = await createPgliteSqlClient();
    const queue = await LocalQueue.open(sql, "feedback");
    await queue.send(Array.from({ length: 500 }, (_, n) => ({ body: { n } })));

    const pass = await runAutovacuumPass(sql);

    expect(pass.analyzed).toContain("queue_messages");
    const { rows } = await sql.query<{ buckets: number }>(
      `SELECT cardinality(histogram_bounds::text::text[]) AS buckets
         FROM pg_stats WHERE tablename = 'queue_messages' AND attname = 'id'`,
    );
    expect(rows[0]!.buckets).toBe(EMBEDDED_STATISTICS_TARGET + 1);
    await sql.close();
  });

  it("leaves tables alone when nothing passed a threshold since the last pass", async () => {
    const sql = await createPgliteSqlClient();
    await churnQueue(sql, 1_000);
    await runAutovacuumPass(sql);

    expect(await runAutovacuumPass(sql)).toEqual({ vacuumed: [], analyzed: [] });
    await sql.close();
  });

  it("waits until no message is waiting in a queue before it makes a pass", async () => {
    const sql = await createPgliteSqlClient();
    await churnQueue(sql, 1_000);
    const queue = await LocalQueue.open(sql, "feedback");
    await queue.send([{ body: { waiting: true } }]);
    const autovacuum = startEmbeddedAutovacuum(sql, { intervalMs: 20 });
    await delay(300);
    expect((await queueTable(sql)).deadRows).toBeGreaterThan(1_000);

    const [waiting] = await queue.receive();
    await queue.deleteBatch([waiting!.receiptHandle]);
    await until(async () => (await queueTable(sql)).deadRows === 0);
    await autovacuum.stop();
    await sql.close();
  });

  it("stops between passes and waits for the one under way", async () => {
    const sql = await createPgliteSqlClient();
    await churnQueue(sql, 1_000);
    const autovacuum = startEmbeddedAutovacuum(sql, { intervalMs: 20 });
    await until(async () => (await queueTable(sql)).deadRows === 0);
    await autovacuum.stop();
    await churnQueue(sql, 1_000);
    await delay(100);

    expect((await queueTable(sql)).deadRows).toBeGreaterThan(1_000);
    await sql.close();
  });
});

describe("an embedded folder's owner", () => {
  afterAll(removeTempDirs);

  it("vacuums its tables while it holds the folder", async () => {
    const database = await openDatabase({ dataDir: await migratedDataDir(), autovacuumIntervalMs: 20 });
    await churnQueue(database.sql, 1_000);

    await until(async () => (await queueTable(database.sql)).deadRows === 0);
    await database.close();
  });
});

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await delay(20);
  }
}
