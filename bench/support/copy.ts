import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Database } from "../../sdk/db/open-database.js";
import type { PgliteSqlClient } from "../../sdk/db/pglite-client.js";

/** Rows for one table, sent with COPY ... FROM in CSV. */
export interface Copy {
  table: string;
  columns: readonly string[];
  rows: readonly Record<string, unknown>[];
}

/** Runs `before`, the copies, then `after` (each if any) in one transaction; returns `after`'s rows. */
export type CopyRunner = (
  copies: readonly Copy[],
  around?: { before?: string; after?: string },
) => Promise<Record<string, unknown>[]>;

// CSV: an unquoted empty field is NULL, anything else is quoted; JSON values as their text.
function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return `"${text.replaceAll('"', '""')}"`;
}

export function toCsv(copy: Copy): string {
  return copy.rows.map((row) => `${copy.columns.map((c) => csvField(row[c])).join(",")}\n`).join("");
}

const copySql = (copy: Copy, source: string) =>
  `COPY ${copy.table} (${copy.columns.join(", ")}) FROM ${source} WITH (FORMAT csv)`;

/**
 * PGlite reads COPY's data from the query's `blob` option ('/dev/blob'). node-postgres has no COPY FROM STDIN
 * without pg-copy-streams (not a dependency), so on PostgreSQL the server reads a file the bench writes: only
 * when the server runs on this machine as a superuser can read it (the bench's local setup). Returns a cleanup.
 */
export async function copyRunner(database: Database): Promise<{ run: CopyRunner; close: () => Promise<void> }> {
  if (database.kind === "pglite") {
    const db = (database.sql as PgliteSqlClient).db;
    const run: CopyRunner = (copies, { before, after } = {}) =>
      db.transaction(async (tx) => {
        if (before) await tx.query(before);
        for (const copy of copies) await tx.query(copySql(copy, "'/dev/blob'"), [], { blob: new Blob([toCsv(copy)]) });
        return after ? (await tx.query<Record<string, unknown>>(after)).rows : [];
      });
    return { run, close: async () => undefined };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "ft-bench-copy-"));
  await chmod(dir, 0o755);
  const run: CopyRunner = (copies, { before, after } = {}) =>
    database.sql.transaction(async (tx) => {
      if (before) await tx.query(before);
      for (const [i, copy] of copies.entries()) {
        const file = path.join(dir, `${i}.csv`);
        await writeFile(file, toCsv(copy), { mode: 0o644 });
        await tx.query(copySql(copy, `'${file}'`));
      }
      return after ? (await tx.query<Record<string, unknown>>(after)).rows : [];
    });
  return { run, close: () => rm(dir, { recursive: true, force: true }) };
}
