/**
 * Throughput of the local queue: send in batches of 1,000, then receive + delete in batches of 100 with
 * 1 and 4 consumers, for small bodies (~130 bytes) and feedback.process bodies (~900 bytes).
 * Embedded PGlite in memory by default, in a new folder with PGLITE_DIR=<folder>, or PostgreSQL with
 * BENCH_POSTGRES_URL=<server url> (a throwaway database is created on that server and dropped after).
 *   npm run build && node dist/bench/queue.js [messages]
 */
import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { migrate } from "../sdk/db/migrate.js";
import { PgSqlClient } from "../sdk/db/pg-client.js";
import { PgliteSqlClient } from "../sdk/db/pglite-client.js";
import type { SqlClient } from "../sdk/db/sql.js";
import { ensureQueue, LocalQueue } from "../sdk/local/queue.js";

const total = Number(process.argv[2] ?? 20_000);
// The benchmark's own settings (not the product's runtime configuration), read once here.
const serverUrl = process.env.BENCH_POSTGRES_URL || undefined;
const pgliteDir = process.env.PGLITE_DIR || undefined;
const receiveBatch = 100;
const sendBatch = 1_000;

async function openDatabase(): Promise<{ sql: SqlClient; drop: () => Promise<void> }> {
  if (!serverUrl) {
    const sql = new PgliteSqlClient(await (pgliteDir ? PGlite.create(pgliteDir) : PGlite.create()));
    await migrate(sql);
    return { sql, drop: async () => undefined };
  }
  const name = `ft_bench_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const sql = PgSqlClient.fromUrl(url.toString(), { max: 5 });
  await migrate(sql);
  return { sql, drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const SMALL_TEXT = "The app crashes every time I open the settings page on my phone after the update.";

function smallBody(index: number): unknown {
  return { kind: "bench", index, text: SMALL_TEXT };
}

function feedbackBody(index: number): unknown {
  return {
    kind: "feedback.process",
    eventId: "6f1c8f3e-1111-4222-8333-444455556666",
    enqueuedAt: "2026-11-25T09:00:00.000Z",
    item: {
      sourceType: "app_store_review",
      sourceId: `R-${index}`,
      channel: "app_store",
      text: `${SMALL_TEXT} It worked fine in version 3.2.0 but 3.2.1 breaks it completely, please fix. (${index})`,
      subject: null,
      author: "user@example.com",
      rating: 1,
      statedPriority: null,
      appVersion: "3.2.1",
      device: "iPhone 14",
      platform: "ios",
      language: "en",
      submittedAt: "2026-11-24T18:30:00.000Z",
      metadata: { country: "DE", reviewTitle: "Crashes on settings" },
      contentHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b4b0b822cd15d0b0a15b0f00a",
    },
  };
}

async function sendAll(queue: LocalQueue, body: (index: number) => unknown): Promise<number> {
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

const { sql, drop } = await openDatabase();
try {
  const name = `bench-${Date.now()}`;
  await ensureQueue(sql, name, {
    visibilityTimeoutSeconds: 300,
    maxReceiveCount: 5,
    retentionSeconds: 1_209_600,
    deadLetterQueue: "feedback-dlq",
  });
  const queue = await LocalQueue.open(sql, name);
  console.log(`backend: ${sql.kind}${pgliteDir ? " (folder)" : ""}, ${total.toLocaleString("en-US")} messages per run`);
  for (const body of [smallBody, feedbackBody]) {
    console.log(`body of ${JSON.stringify(body(0)).length} bytes:`);
    for (const consumers of [1, 4]) {
      const sendMs = await sendAll(queue, body);
      const drainMs = await drain(queue, consumers);
      console.log(`  send, batches of ${sendBatch}: ${rate(sendMs)}`);
      console.log(`  receive+delete, batches of ${receiveBatch}, ${consumers} consumer(s): ${rate(drainMs)}`);
    }
  }
} finally {
  await sql.close();
  await drop();
}
