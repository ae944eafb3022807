import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BackendError, ConfigurationError } from "../errors.js";
import type { SqlClient } from "./sql.js";

/** prisma/migrations of this package, whether running from source or from dist/. */
export function defaultMigrationsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (dir !== path.dirname(dir)) {
    const candidate = path.join(dir, "prisma", "migrations");
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new ConfigurationError("Cannot locate prisma/migrations beside the installed package", {
    hint: "Reinstall feedback-triage; the prisma/ folder ships with it.",
  });
}

// Prisma's own bookkeeping table, so that `prisma migrate deploy` in production sees these as applied.
const PRISMA_MIGRATIONS_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

interface AppliedRow {
  checksum: string;
  finished_at: Date | string | null;
}

/**
 * Applies pending migrations, one transaction each, recording them in `_prisma_migrations` with
 * Prisma's checksum. A failed migration is left recorded as unfinished (as Prisma does) and stops the run.
 */
export async function migrate(sql: SqlClient, dir = defaultMigrationsDir()): Promise<{ applied: string[] }> {
  await sql.exec(PRISMA_MIGRATIONS_DDL);
  const migrations = await readMigrations(dir);
  const applied: string[] = [];
  for (const migration of migrations) {
    const id = randomUUID();
    try {
      const ran = await sql.transaction(async (tx) => {
        // Serialises concurrent runners against one Postgres; harmless on PGlite.
        await tx.query("SELECT pg_advisory_xact_lock(727274)");
        const { rows } = await tx.query<AppliedRow>(
          `SELECT checksum, finished_at FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL`,
          [migration.name],
        );
        const previous = rows[0];
        if (previous?.finished_at) {
          if (previous.checksum !== migration.checksum) {
            throw new ConfigurationError(`Migration ${migration.name} was changed after it was applied`, {
              hint: "Never edit an applied migration; add a new migration folder instead.",
            });
          }
          return false;
        }
        if (previous) {
          throw new ConfigurationError(`Migration ${migration.name} failed earlier and is marked unfinished`, {
            hint: `Fix the database, then run 'prisma migrate resolve --rolled-back ${migration.name}'.`,
          });
        }
        await tx.exec(migration.sql);
        await tx.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [id, migration.checksum, migration.name],
        );
        return true;
      });
      if (ran) applied.push(migration.name);
    } catch (error) {
      if (error instanceof ConfigurationError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      // Recorded unfinished, as Prisma does, so that a later deploy refuses until it is resolved.
      await sql.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, applied_steps_count) VALUES ($1, $2, $3, $4, now(), 0)`,
        [id, migration.checksum, migration.name, message],
      );
      throw new BackendError(`Migration ${migration.name} failed: ${message}`, { cause: error });
    }
  }
  return { applied };
}
