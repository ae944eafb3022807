import { randomUUID } from "node:crypto";
import pg from "pg";
import { migrate } from "../../sdk/db/migrate.js";
import { PgSqlClient } from "../../sdk/db/pg-client.js";
import { PgliteSqlClient } from "../../sdk/db/pglite-client.js";
import type { SqlClient } from "../../sdk/db/sql.js";
import { createPgliteFromTemplate } from "./pglite-template.js";

/**
 * Which database the suite runs against: embedded PGlite by default, or the PostgreSQL server named by
 * TEST_DATABASE_URL (CI runs the suite once each way). Each call gets a fresh, migrated database.
 */
export const testBackend: "pglite" | "postgres" = process.env.TEST_DATABASE_URL ? "postgres" : "pglite";

export interface TestDatabase {
  sql: SqlClient;
  /** A connection string for the same database (Postgres only), e.g. for a second process. */
  url: string | null;
  close(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const sql = new PgliteSqlClient(await createPgliteFromTemplate());
    await migrate(sql);
    return { sql, url: null, close: () => sql.close() };
  }
  const name = `ft_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = PgSqlClient.fromUrl(url.toString(), { max: 5 });
  await migrate(sql);
  return {
    sql,
    url: url.toString(),
    async close() {
      await sql.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
