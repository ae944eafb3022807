import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { defaultMigrationsDir, migrate, readMigrations } from "../../sdk/db/migrate.js";
import { PgliteSqlClient } from "../../sdk/db/pglite-client.js";

/** A fresh PGlite migrated up to (not including) `migration`, as a database written before it would be. */
export async function databaseBefore(migration: string): Promise<{ pglite: PGlite; sql: PgliteSqlClient }> {
  const before = await mkdtemp(path.join(tmpdir(), "ft-mig-"));
  for (const { name } of await readMigrations(defaultMigrationsDir()))
    if (name < migration)
      await cp(path.join(defaultMigrationsDir(), name), path.join(before, name), { recursive: true });
  const pglite = await PGlite.create();
  const sql = new PgliteSqlClient(pglite);
  await migrate(sql, before);
  return { pglite, sql };
}
