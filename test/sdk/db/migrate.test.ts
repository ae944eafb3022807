import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterEach, describe, expect, it } from "vitest";
import { defaultMigrationsDir, migrate, readMigrations } from "../../../sdk/db/migrate.js";
import { PgliteSqlClient } from "../../../sdk/db/pglite-client.js";
import { createTestDatabase, type TestDatabase } from "../../support/database.js";

describe(`migration runner`, () => {
  let db: TestDatabase;
  afterEach(async () => db?.close());

  it("records every migration in _prisma_migrations with Prisma's sha256 checksum", async () => {
    db = await createTestDatabase();
    const files = await readMigrations(defaultMigrationsDir());
    const { rows } = await db.sql.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`,
    );
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
      files.map((f) => [f.name, f.checksum, 1]),
    );
  });

  it("is idempotent: a second run applies nothing", async () => {
    db = await createTestDatabase();
    expect(await migrate(db.sql)).toEqual({ applied: [] });
  });

  it("seeds the default configuration and queues", async () => {
    db = await createTestDatabase();
    const { rows } = await db.sql.query<{ key: string }>(`SELECT key FROM configurations ORDER BY key`);
    expect(rows.map((r) => r.key)).toEqual(["agents", "confidence_threshold", "model_prices", "priority_rules"]);
    const queues = await db.sql.query<{ name: string }>(`SELECT name FROM queues ORDER BY name`);
    expect(queues.rows.map((r) => r.name)).toEqual(["feedback", "feedback-dlq"]);
  });

  it("refuses a migration that was edited after it was applied", async () => {
    db = await createTestDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), "ft-mig-"));
    await mkdir(path.join(dir, "20990101000000_extra"));
    await writeFile(path.join(dir, "20990101000000_extra", "migration.sql"), "CREATE TABLE extra_a (id int);");
    await migrate(db.sql, dir);
    await writeFile(path.join(dir, "20990101000000_extra", "migration.sql"), "CREATE TABLE extra_b (id int);");
    await expect(migrate(db.sql, dir)).rejects.toThrow(/was changed after it was applied/);
  });

  it("leaves a failed migration recorded as unfinished and rolls back its statements", async () => {
    db = await createTestDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), "ft-mig-"));
    await mkdir(path.join(dir, "20990101000000_broken"));
    await writeFile(
      path.join(dir, "20990101000000_broken", "migration.sql"),
      "CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;",
    );
    await expect(migrate(db.sql, dir)).rejects.toThrow(/20990101000000_broken failed/);
    const { rows } = await db.sql.query<{ finished_at: unknown; logs: string }>(
      `SELECT finished_at, logs FROM "_prisma_migrations" WHERE migration_name = '20990101000000_broken'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.finished_at).toBeNull();
    const table = await db.sql.query(`SELECT to_regclass('half_done') AS t`);
    expect(table.rows[0]).toEqual({ t: null });
    await expect(migrate(db.sql, dir)).rejects.toThrow(/marked unfinished/);
  });
});

describe("ticket language migration", () => {
  it("adds the ticket language column keeping the tickets written before it, with a null language", async () => {
    const LANGUAGE = "20261207000000_ticket_language";
    const before = await mkdtemp(path.join(tmpdir(), "ft-mig-"));
    for (const { name } of await readMigrations(defaultMigrationsDir()))
      if (name < LANGUAGE)
        await cp(path.join(defaultMigrationsDir(), name), path.join(before, name), { recursive: true });
    const pglite = await PGlite.create();
    const sql = new PgliteSqlClient(pglite);
    try {
      await migrate(sql, before);
      await sql.query(
        `INSERT INTO tickets (id, source_type, source_id, title, description, category, priority, confidence, status, content_hash)
         VALUES ('00000000-0000-4000-8000-000000000001', 'email', 'old-1', 'Crash on start', 'It crashes', 'Bug', 'High', 0.9, 'open', 'h1')`,
      );
      expect((await migrate(sql)).applied).toContain(LANGUAGE);
      const { rows } = await sql.query<{ source_id: string; title: string; language: string | null }>(
        "SELECT source_id, title, language FROM tickets",
      );
      expect(rows).toEqual([{ source_id: "old-1", title: "Crash on start", language: null }]);
      await expect(sql.query("UPDATE tickets SET language = 'deu'")).rejects.toThrow(/tickets_language_check/);
    } finally {
      await pglite.close();
    }
  });
});

describe("configuration history migration", () => {
  it("keeps the stored configuration and starts each value's history with who set it last", async () => {
    const HISTORY = "20261208100000_configuration_history";
    const before = await mkdtemp(path.join(tmpdir(), "ft-mig-"));
    for (const { name } of await readMigrations(defaultMigrationsDir()))
      if (name < HISTORY)
        await cp(path.join(defaultMigrationsDir(), name), path.join(before, name), { recursive: true });
    const pglite = await PGlite.create();
    const sql = new PgliteSqlClient(pglite);
    try {
      await migrate(sql, before);
      await sql.query(
        `UPDATE configurations SET value = '0.8', updated_by = 'alice' WHERE key = 'confidence_threshold'`,
      );
      expect((await migrate(sql)).applied[0]).toBe(HISTORY);
      const { rows } = await sql.query<{ value: unknown; updated_by: string }>(
        "SELECT value, updated_by FROM configurations WHERE key = 'confidence_threshold'",
      );
      expect(rows).toEqual([{ value: 0.8, updated_by: "alice" }]);
      const history = await sql.query<{ key: string; before: unknown; after: unknown; actor: string }>(
        `SELECT key, before, after, actor FROM configuration_history ORDER BY key`,
      );
      expect(history.rows.map((r) => r.key)).toEqual([
        "agents",
        "confidence_threshold",
        "model_prices",
        "priority_rules",
      ]);
      expect(history.rows[1]).toEqual({ key: "confidence_threshold", before: null, after: 0.8, actor: "alice" });
    } finally {
      await pglite.close();
    }
  });
});
