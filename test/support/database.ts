import { migrate } from "../../sdk/db/migrate.js";
import { PgSqlClient } from "../../sdk/db/pg-client.js";
import { PgliteSqlClient } from "../../sdk/db/pglite-client.js";
import { createScratchDatabase } from "../../sdk/db/scratch-database.js";
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
  const scratch = await createScratchDatabase(adminUrl, "ft_test");
  const sql = PgSqlClient.fromUrl(scratch.url, { max: 5 });
  await migrate(sql);
  return {
    sql,
    url: scratch.url,
    async close() {
      await sql.close();
      await scratch.drop();
    },
  };
}
