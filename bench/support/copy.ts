import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Database } from "../../sdk/db/open-database.js";
import type { PgliteSqlClient } from "../../sdk/db/pglite-client.js";
import type { SqlClient } from "../../sdk/db/sql.js";

/** Where a COPY ... FROM reads its data: `source` goes after FROM. */
export interface CopyInput {
  source: string;
  blob?: Blob;
}

export interface CopyTransaction {
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Runs `COPY <target> FROM <input> [<options>]`. */
  copyFrom(target: string, input: CopyInput, options?: string): Promise<void>;
}

/** COPY in and out of a bench's database, whichever it is. */
export interface CopyTransport {
  /** Runs `COPY (<query>) TO ...` and returns what it wrote, as text. */
  exportText(query: string): Promise<string>;
  /** A COPY's input from `text`. */
  prepare(text: string): Promise<CopyInput>;
  transaction<T>(work: (tx: CopyTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const copyFromSql = (target: string, input: CopyInput, options?: string) =>
  `COPY ${target} FROM ${input.source}${options ? ` ${options}` : ""}`;

/**
 * PGlite reads COPY's data from the query's `blob` option ('/dev/blob') and writes it to the result's `blob`.
 * node-postgres has no COPY streams without pg-copy-streams (not a dependency), so on PostgreSQL the server reads and
 * writes files the bench shares with it: only when the server runs on this machine as a superuser (the bench's local
 * setup).
 */
export async function copyTransport(sql: SqlClient): Promise<CopyTransport> {
  if (sql.kind === "pglite") {
    const db = (sql as PgliteSqlClient).db;
    return {
      exportText: async (query) => (await db.query(`COPY (${query}) TO '/dev/blob'`)).blob?.text() ?? "",
      prepare: async (text) => ({ source: "'/dev/blob'", blob: new Blob([text]) }),
      transaction: (work) =>
        db.transaction((tx) =>
          work({
            query: async (statement) => (await tx.query<Record<string, unknown>>(statement)).rows,
            copyFrom: async (target, input, options) => {
              await tx.query(copyFromSql(target, input, options), [], { blob: input.blob });
            },
          }),
        ),
      close: async () => undefined,
    };
  }
  if (sql.kind !== "postgres") throw new Error("COPY needs the database in this process or a local server");
  const dir = await mkdtemp(path.join(os.tmpdir(), "ft-bench-copy-"));
  await chmod(dir, 0o777);
  let files = 0;
  return {
    exportText: async (query) => {
      const file = path.join(dir, `export-${files++}.txt`);
      await sql.query(`COPY (${query}) TO '${file}'`);
      return readFile(file, "utf8");
    },
    prepare: async (text) => {
      const file = path.join(dir, `import-${files++}.txt`);
      await writeFile(file, text, { mode: 0o644 });
      return { source: `'${file}'` };
    },
    transaction: (work) =>
      sql.transaction((tx) =>
        work({
          query: async (statement) => (await tx.query<Record<string, unknown>>(statement)).rows,
          copyFrom: async (target, input, options) => {
            await tx.query(copyFromSql(target, input, options));
          },
        }),
      ),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

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

/** Copies of records, their input prepared inside the transaction (so timed with it). Returns a cleanup. */
export async function copyRunner(database: Database): Promise<{ run: CopyRunner; close: () => Promise<void> }> {
  const transport = await copyTransport(database.sql);
  const run: CopyRunner = (copies, { before, after } = {}) =>
    transport.transaction(async (tx) => {
      if (before) await tx.query(before);
      for (const copy of copies) {
        const target = `${copy.table} (${copy.columns.join(", ")})`;
        await tx.copyFrom(target, await transport.prepare(toCsv(copy)), "WITH (FORMAT csv)");
      }
      return after ? await tx.query(after) : [];
    });
  return { run, close: () => transport.close() };
}
