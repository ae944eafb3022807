import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { defaultMigrationsDir, readMigrations } from "../../../sdk/db/migrate.js";
import { createScratchDatabase } from "../../../sdk/db/scratch-database.js";
import { SessionGate } from "../../../sdk/db/session-gate.js";
import { startSocketServer } from "../../../sdk/db/socket-server.js";
import { migratePostgres } from "../../../sdk/migrations.js";
import { createPgliteFromTemplate } from "../../support/pglite-template.js";

/** A database reachable by URL: a scratch database on TEST_DATABASE_URL's server, or PGlite over its socket. */
interface DatabaseAtUrl {
  url: string;
  query<T>(text: string): Promise<T[]>;
  /** Connections other than the test's own. */
  openConnections(): Promise<number>;
  close(): Promise<void>;
}

async function postgresAtUrl(adminUrl: string, migrated: boolean): Promise<DatabaseAtUrl> {
  const scratch = await createScratchDatabase(adminUrl, "ft_test");
  if (migrated) await migratePostgres(scratch.url);
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  const query = async <T>(text: string) => (await client.query(text)).rows as T[];
  return {
    url: scratch.url,
    query,
    openConnections: async () =>
      (
        await query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
      )[0]?.n ?? 0,
    async close() {
      await client.end();
      await scratch.drop();
    },
  };
}

async function pgliteAtUrl(migrated: boolean): Promise<DatabaseAtUrl> {
  // The migrated template loads in well under a second; migrating a fresh PGlite takes several.
  const db = migrated ? await createPgliteFromTemplate() : await PGlite.create();
  const gate = new SessionGate();
  const server = await startSocketServer(db, gate);
  return {
    url: `postgres://postgres@${server.host}:${server.port}/postgres`,
    query: async <T>(text: string) => (await gate.run(() => db.query<T>(text))).rows,
    openConnections: async () => server.connections(),
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

describe("migrating a PostgreSQL database by URL (the deployment's migration task)", () => {
  let db: DatabaseAtUrl;
  afterEach(async () => db?.close());
  const databaseAtUrl = ({ migrated }: { migrated: boolean }) =>
    process.env.TEST_DATABASE_URL ? postgresAtUrl(process.env.TEST_DATABASE_URL, migrated) : pgliteAtUrl(migrated);

  it("applies every migration to an empty database, then runs the follow-up statements in order", async () => {
    db = await databaseAtUrl({ migrated: false });
    const names = (await readMigrations(defaultMigrationsDir())).map((m) => m.name);

    const { applied } = await migratePostgres(db.url, [
      "CREATE TABLE probe (migrations int NOT NULL)",
      `INSERT INTO probe SELECT count(*) FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`,
    ]);

    expect(applied).toEqual(names);
    expect(await db.query<{ migrations: number }>("SELECT migrations FROM probe")).toEqual([
      { migrations: names.length },
    ]);
  });

  it("applies nothing to a migrated database and still runs the follow-up statements", async () => {
    db = await databaseAtUrl({ migrated: true });

    const { applied } = await migratePostgres(db.url, ["CREATE TABLE probe (n int)"]);

    expect(applied).toEqual([]);
    expect(await db.query("SELECT n FROM probe")).toEqual([]);
  });

  it("closes its connection when it is done, and when a statement fails", async () => {
    db = await databaseAtUrl({ migrated: true });

    await migratePostgres(db.url, ["SELECT 1"]);
    await expect.poll(() => db.openConnections()).toBe(0);

    await expect(migratePostgres(db.url, ["SELECT * FROM no_such_table"])).rejects.toThrow(/no_such_table/);
    await expect.poll(() => db.openConnections()).toBe(0);
  });
});
