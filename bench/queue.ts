/**
 * Throughput of the local queue: send in batches of 1,000, then receive + delete in batches of 100 with
 * 1 and 4 consumers. Embedded PGlite in memory by default; PostgreSQL when DATABASE_URL is set.
 *   npm run build && node dist/bench/queue.js [messages]
 */
import { PGlite } from "@electric-sql/pglite";
import { migrate } from "../sdk/db/migrate.js";
import { PgSqlClient } from "../sdk/db/pg-client.js";
import { PgliteSqlClient } from "../sdk/db/pglite-client.js";
import type { SqlClient } from "../sdk/db/sql.js";
import { ensureQueue, LocalQueue } from "../sdk/local/queue.js";

const total = Number(process.argv[2] ?? 20_000);
const receiveBatch = 100;
const sendBatch = 1_000;

async function openDatabase(): Promise<SqlClient> {
  const url = process.env.DATABASE_URL;
  const sql = url ? PgSqlClient.fromUrl(url, { max: 5 }) : new PgliteSqlClient(await PGlite.create());
  await migrate(sql);
  return sql;
}

function body(index: number) {
  return { kind: "bench", index, text: "The app crashes when I open the settings page on my phone." };
}

async function sendAll(queue: LocalQueue): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < total; i += sendBatch) {
    const count = Math.min(sendBatch, total - i);
    await queue.send(Array.from({ length: count }, (_, k) => ({ body: body(i + k) })));
  }
  return performance.now() - started;
}

async function drain(queue: LocalQueue, consumers: number): Promise<number> {
  const started = performance.now();
  let handled = 0;
  await Promise.all(
    Array.from({ length: consumers }, async () => {
      for (;;) {
        const messages = await queue.receive({ maxMessages: receiveBatch });
        if (messages.length === 0) return;
        const result = await queue.deleteBatch(messages.map((m) => m.receiptHandle));
        if (result.failed.length > 0) throw new Error(`delete failed: ${JSON.stringify(result.failed[0])}`);
        handled += messages.length;
      }
    }),
  );
  if (handled !== total) throw new Error(`handled ${handled} of ${total}`);
  return performance.now() - started;
}

function rate(ms: number): string {
  return `${Math.round(total / (ms / 1000)).toLocaleString("en-US")} msgs/s (${Math.round(ms)} ms)`;
}

const sql = await openDatabase();
try {
  const name = `bench-${Date.now()}`;
  await ensureQueue(sql, name, {
    visibilityTimeoutSeconds: 300,
    maxReceiveCount: 5,
    retentionSeconds: 1_209_600,
    deadLetterQueue: "feedback-dlq",
  });
  const queue = await LocalQueue.open(sql, name);
  console.log(`backend: ${sql.kind}, ${total.toLocaleString("en-US")} messages of ~${JSON.stringify(body(0)).length} bytes`);
  for (const consumers of [1, 4]) {
    const sendMs = await sendAll(queue);
    const drainMs = await drain(queue, consumers);
    console.log(`send (batches of ${sendBatch}):                 ${rate(sendMs)}`);
    console.log(`receive+delete (batches of ${receiveBatch}, ${consumers} consumer${consumers > 1 ? "s" : ""}): ${rate(drainMs)}`);
  }
} finally {
  await sql.close();
}
