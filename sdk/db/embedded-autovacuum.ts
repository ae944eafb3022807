import type { SqlClient } from "./sql.js";

/**
 * PostgreSQL's autovacuum, for the embedded database, which has none: PGlite runs Postgres single-user, so nothing
 * ever vacuums or analyzes its tables. Without it the queue's table only grows (every message leaves three dead row
 * versions: about 1.9 MB per 1,000 feedback messages, never given back, so an empty queue that carried 40,000
 * holds 76 MB) and the planner works without statistics. Each pass does what autovacuum would: VACUUM (ANALYZE) a
 * table whose dead rows pass autovacuum's threshold, ANALYZE one whose changes since its last analyze pass the
 * analyze threshold, with the thresholds the database itself is configured with.
 *
 * A pass runs on the thread that runs the database (PGlite's is the process's main thread), so it samples fewer
 * rows than a server would: ANALYZE reads 300 rows per unit of statistics target, and at the default 100 the
 * tickets' table alone took 2 s at 20,000 tickets (the search index's expression, to_tsvector, is computed for
 * every sampled row). At 10 (PostgreSQL's default until 8.4) it takes a quarter of a second at any size.
 *
 * And a pass waits until the queue is caught up (no message waiting to be received): a pass holds the one thread
 * for 0.5-2 s, which a backlog should not wait for, and two 100,000-item pipeline runs with passes once a minute
 * took 81-85 s where one without took 62 s (not conclusive: a later run without any pass, the machine slower,
 * took 92 s). A backlog is worked through first, then vacuumed.
 */

interface TableStats {
  name: string;
  vacuum: boolean;
  analyze: boolean;
}

const DUE_TABLES = `
SELECT relname AS name,
       n_dead_tup > current_setting('autovacuum_vacuum_threshold')::float8
         + current_setting('autovacuum_vacuum_scale_factor')::float8 * n_live_tup AS vacuum,
       n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float8
         + current_setting('autovacuum_analyze_scale_factor')::float8 * n_live_tup AS analyze
FROM pg_stat_user_tables
WHERE schemaname = 'public'
ORDER BY relname`;

/** The statistics target of the pass's ANALYZE: 3,000 sampled rows per table. */
export const EMBEDDED_STATISTICS_TARGET = 10;

/** No message of any queue waiting to be received: the worker is not working through a backlog. */
const QUEUES_CAUGHT_UP = "SELECT NOT EXISTS (SELECT 1 FROM queue_messages WHERE visible_at <= now()) AS caught_up";

export interface AutovacuumPass {
  vacuumed: string[];
  analyzed: string[];
}

/** One pass over the tables: vacuums and analyzes those due, as autovacuum would. */
export async function runAutovacuumPass(sql: SqlClient): Promise<AutovacuumPass> {
  // Statistics of the statements just run are flushed to the shared counters at most once a second otherwise.
  await sql.query("SELECT pg_stat_force_next_flush()");
  await sql.query("SELECT pg_stat_clear_snapshot()");
  const { rows } = await sql.query<TableStats>(DUE_TABLES);
  const pass: AutovacuumPass = { vacuumed: [], analyzed: [] };
  for (const table of rows) {
    const name = `"${table.name.replaceAll('"', '""')}"`;
    if (table.vacuum) {
      await sql.exec(`VACUUM ${name}`);
      pass.vacuumed.push(table.name);
    }
    if (table.vacuum || table.analyze) {
      await sql.transaction(async (tx) => {
        await tx.exec(`SET LOCAL default_statistics_target = ${EMBEDDED_STATISTICS_TARGET}`);
        await tx.exec(`ANALYZE ${name}`);
      });
      pass.analyzed.push(table.name);
    }
  }
  return pass;
}

export interface EmbeddedAutovacuum {
  /** Stops the passes, waiting for the one under way. */
  stop(): Promise<void>;
}

export interface EmbeddedAutovacuumOptions {
  /** Between passes (ms); autovacuum's own naptime is one minute. */
  intervalMs?: number;
  /** A pass that failed (the next one tries again). */
  onError?: (error: unknown) => void;
}

/**
 * Every `intervalMs` until stopped, a pass if the queues are caught up (else at the next tick that finds them so);
 * the timer never keeps the process alive.
 */
export function startEmbeddedAutovacuum(sql: SqlClient, options: EmbeddedAutovacuumOptions = {}): EmbeddedAutovacuum {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = passWhenCaughtUp(sql)
      .then(() => undefined, options.onError ?? warn)
      .finally(() => {
        running = null;
      });
  }, options.intervalMs ?? 60_000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

async function passWhenCaughtUp(sql: SqlClient): Promise<void> {
  const { rows } = await sql.query<{ caught_up: boolean }>(QUEUES_CAUGHT_UP);
  if (rows[0]?.caught_up) await runAutovacuumPass(sql);
}

function warn(error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  process.emitWarning(`The embedded database's vacuum pass failed (the next one tries again): ${reason}`);
}
