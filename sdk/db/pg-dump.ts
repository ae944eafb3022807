import { spawn } from "node:child_process";
import { PassThrough, type Readable } from "node:stream";

/**
 * libpq's environment for a postgres:// URL (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE), so that
 * pg_dump and pg_restore connect without the password on their command line, where `ps` would show it.
 */
export function libpqEnvironment(url: string): Record<string, string> {
  const parsed = new URL(url);
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new Error(`Not a PostgreSQL URL: ${parsed.protocol}//${parsed.host}`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (!database) throw new Error(`The database URL names no database: ${parsed.protocol}//${parsed.host}/`);
  const env: Record<string, string> = {
    PGHOST: parsed.hostname,
    PGPORT: parsed.port || "5432",
    PGDATABASE: database,
  };
  if (parsed.username) env.PGUSER = decodeURIComponent(parsed.username);
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  const sslmode = parsed.searchParams.get("sslmode");
  if (sslmode) env.PGSSLMODE = sslmode;
  const sslrootcert = parsed.searchParams.get("sslrootcert");
  if (sslrootcert) env.PGSSLROOTCERT = sslrootcert;
  return env;
}

export interface PgDumpOptions {
  /** The pg_dump executable; default `pg_dump` on PATH. */
  executable?: string;
  /** Environment the process starts with besides libpq's (PATH, PGSSLROOTCERT): the entry point's. */
  env: NodeJS.ProcessEnv;
}

/**
 * `pg_dump --format=custom` of the database at `url`, as a stream. The stream ends only once pg_dump has exited
 * with 0; any other exit destroys it with pg_dump's last error output, so a consumer that uploads it (lib-storage
 * aborts a multipart upload on a failing body) never stores a truncated dump as if it were whole.
 */
export function pgDump(url: string, options: PgDumpOptions): Readable {
  const out = new PassThrough();
  const child = spawn(options.executable ?? "pg_dump", ["--format=custom", "--no-password"], {
    env: { ...options.env, ...libpqEnvironment(url) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  child.stdout.pipe(out, { end: false });
  // A consumer that gives up (a failed upload) stops pg_dump instead of leaving it blocked on a full pipe.
  out.on("close", () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  });
  child.on("error", (error) => out.destroy(new Error(`pg_dump could not start: ${error.message}`)));
  child.on("close", (code, signal) => {
    if (code === 0) out.end();
    else out.destroy(new Error(`pg_dump failed (${signal ?? `exit ${code}`}): ${stderr.trim() || "no output"}`));
  });
  return out;
}
