import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOfflineAgents } from "../../../app/agents/offline/index.js";
import { runWorker } from "../../../app/worker/run-worker.js";
import { S3ArtifactStore } from "../../../sdk/aws/artifacts.js";
import type { AwsClients } from "../../../sdk/aws/clients.js";
import { backupDatabase, backupKey, storeDump } from "../../../sdk/backups.js";
import { libpqEnvironment } from "../../../sdk/db/pg-dump.js";
import { createScratchDatabase } from "../../../sdk/db/scratch-database.js";
import { readBackupTaskSettings } from "../../../worker/tasks/backup-settings.js";
import { destroyAwsClients, emulatedClients, startS3rverEmulator } from "../../support/aws-emulators.js";
import { testBackend } from "../../support/database.js";
import { makeItem, makeMessageBody } from "../../support/factories.js";
import { openPipelineFixture, type PipelineFixture } from "../../support/pipeline-fixture.js";

const run = promisify(execFile);
const TABLE_COUNTS = readFileSync(path.join(import.meta.dirname, "../../../scripts/table-counts.sql"), "utf8");
const AT = new Date("2026-12-07T03:00:00.123Z");

describe("backup task: where a dump goes and what it reads", () => {
  it("keys a dump by day and time under postgres/, so the bucket lists them in order", () => {
    expect(backupKey("feedback", AT)).toBe("postgres/2026/12/07/feedback-20261207T030000Z.dump");
    expect(backupKey("feedback", new Date("2027-01-31T23:59:59Z"))).toBe(
      "postgres/2027/01/31/feedback-20270131T235959Z.dump",
    );
  });

  it("passes the database URL to pg_dump as libpq variables, the password never on the command line", () => {
    expect(libpqEnvironment("postgres://feedback_app:p%40ss@db.internal:5433/feedback?sslmode=verify-full")).toEqual({
      PGHOST: "db.internal",
      PGPORT: "5433",
      PGDATABASE: "feedback",
      PGUSER: "feedback_app",
      PGPASSWORD: "p@ss",
      PGSSLMODE: "verify-full",
    });
    expect(libpqEnvironment("postgresql://127.0.0.1/test")).toEqual({
      PGHOST: "127.0.0.1",
      PGPORT: "5432",
      PGDATABASE: "test",
    });
    expect(() => libpqEnvironment("mysql://db/x")).toThrow(/Not a PostgreSQL URL/);
    expect(() => libpqEnvironment("postgres://db:5432/")).toThrow(/names no database/);
  });

  it("reads the database URL, the bucket and the region, naming the one missing", () => {
    const env = {
      DATABASE_URL: "postgres://a@b/c",
      FEEDBACK_BACKUPS_BUCKET: "feedback-backups",
      AWS_REGION: "eu-west-1",
    };
    expect(readBackupTaskSettings(env)).toEqual({
      databaseUrl: "postgres://a@b/c",
      bucket: "feedback-backups",
      region: "eu-west-1",
    });
    expect(() => readBackupTaskSettings({ ...env, FEEDBACK_BACKUPS_BUCKET: "" })).toThrow(
      "FEEDBACK_BACKUPS_BUCKET is not set",
    );
  });
});

/**
 * The backup and the restore of docs/runbook.md, end to end on the local PostgreSQL server (pg_dump and pg_restore
 * are its client tools) and s3rver for the backups bucket: a database filled through the app (the worker pipeline
 * with the offline crew, a ticket changed, configuration changed) is dumped to the bucket, downloaded, restored into
 * a fresh database with the runbook's pg_restore line, and every table is counted on both sides.
 */
describe.skipIf(testBackend !== "postgres")("backup and restore of a database with real data", () => {
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const BUCKET = "feedback-backups";
  let fixture: PipelineFixture;
  let s3rver: Awaited<ReturnType<typeof startS3rverEmulator>>;
  let clients: AwsClients;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "backup-test-"));
    s3rver = await startS3rverEmulator();
    await s3rver.createBucket(BUCKET);
    clients = emulatedClients();
    fixture = await openPipelineFixture({ agents: createOfflineAgents() });
    const texts = [
      "The app crashes every time I open the camera on my Pixel 8",
      "Please add a dark mode, my eyes hurt at night",
      "Login fails with error 500 since the last update",
      "Love it, five stars, works great",
      "Sync takes forever on slow networks and drains the battery",
    ];
    const items = Array.from({ length: 40 }, (_, i) => makeItem({ text: `${texts[i % texts.length]} (#${i})` }));
    await fixture.queue.send(items.map((item) => ({ body: makeMessageBody(item) })));
    await runWorker(fixture.deps, { once: true, batchSize: 20 });
    const { items: tickets } = await fixture.tickets.list();
    await fixture.tickets.update(tickets[0]!.id, { status: "closed" }, { actor: "ops", reason: "fixed in 4.2" });
    await fixture.configuration.set("confidence_threshold", 0.65, "ops");
  }, 120_000);
  afterAll(async () => {
    await fixture?.close();
    if (clients) destroyAwsClients(clients);
    await s3rver?.close();
    await rm(work, { recursive: true, force: true });
  });

  async function tableCounts(url: string): Promise<Record<string, number>> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ table: string; rows: string }>(TABLE_COUNTS);
      return Object.fromEntries(rows.map((row) => [row.table, Number(row.rows)]));
    } finally {
      await client.end();
    }
  }

  it("stores a custom-format dump in the bucket and restores it into a fresh database with every row", async () => {
    const url = fixture.db.url!;
    const store = new S3ArtifactStore(clients.s3, { bucket: BUCKET, setting: "backupsBucketName" });
    const database = new URL(url).pathname.slice(1);
    const result = await backupDatabase(url, store, { at: AT, env: process.env });
    expect(result.key).toBe(`postgres/2026/12/07/${database}-20261207T030000Z.dump`);
    expect(result.uri).toBe(`s3://${BUCKET}/${result.key}`);
    expect(result.bytes).toBeGreaterThan(1000);

    // Runbook, step 1: download the dump (aws s3 cp).
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: result.key }));
    const bytes = await object.Body!.transformToByteArray();
    expect(bytes.byteLength).toBe(result.bytes);
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe("PGDMP");
    const file = path.join(work, "feedback.dump");
    await writeFile(file, bytes);

    // Step 2: restore into a fresh database, as the runbook's pg_restore line does.
    const restored = await createScratchDatabase(adminUrl, "ft_restore");
    try {
      await run("pg_restore", [
        "--dbname",
        restored.url,
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        file,
      ]);

      // Step 3: the same row count in every table.
      const before = await tableCounts(url);
      const after = await tableCounts(restored.url);
      expect(after).toEqual(before);
      expect(before).toMatchObject({
        tickets: 40,
        feedback_items: 40,
        configurations: expect.any(Number),
        _prisma_migrations: expect.any(Number),
      });
      for (const table of ["processing_logs", "ticket_history", "configurations", "configuration_history"])
        expect(before[table], table).toBeGreaterThan(0);

      // The restored rows are the app's: the closed ticket and the changed threshold are there.
      const client = new pg.Client({ connectionString: restored.url });
      await client.connect();
      try {
        const closed = await client.query("SELECT count(*)::int AS n FROM tickets WHERE status = 'closed'");
        expect(closed.rows).toEqual([{ n: 1 }]);
        const threshold = await client.query("SELECT value FROM configurations WHERE key = 'confidence_threshold'");
        expect(threshold.rows).toEqual([{ value: 0.65 }]);
      } finally {
        await client.end();
      }
    } finally {
      await restored.drop();
    }
  }, 120_000);

  it("stores nothing when pg_dump fails, and says why", async () => {
    const store = new S3ArtifactStore(clients.s3, { bucket: BUCKET, setting: "backupsBucketName" });
    const missing = new URL(adminUrl);
    missing.pathname = "/ft_no_such_database";
    await expect(backupDatabase(missing.toString(), store, { at: AT, env: process.env })).rejects.toThrow(
      /pg_dump failed \(exit 1\):.*ft_no_such_database/s,
    );
    expect(await store.list("postgres/2026/12/07/ft_no_such_database")).toEqual([]);
  });

  it("aborts the upload when the dump breaks off part-way", async () => {
    const store = new S3ArtifactStore(clients.s3, { bucket: BUCKET, setting: "backupsBucketName" });
    const broken = new Readable({ read() {} });
    broken.push(Buffer.alloc(64 * 1024, 1));
    setTimeout(() => broken.destroy(new Error("pg_dump failed (exit 1): connection lost")), 50);
    await expect(storeDump(broken, store, { database: "broken", at: AT })).rejects.toThrow(/connection lost/);
    expect(await store.list("postgres/2026/12/07/broken")).toEqual([]);
  });
});
