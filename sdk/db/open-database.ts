import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { BackendError, DatabaseBusyError, type FeedbackTriageError } from "../errors.js";
import { DEFAULT_DATA_DIR_NAME } from "./data-dir.js";
import { type EmbeddedAutovacuum, startEmbeddedAutovacuum } from "./embedded-autovacuum.js";
import { migrate } from "./migrate.js";
import {
  acquireOwnership,
  isProcessAlive,
  type OwnerInfo,
  type OwnerLock,
  ownerFilePath,
  readOwner,
} from "./owner-lock.js";
import { PgSqlClient } from "./pg-client.js";
import { PgliteSqlClient } from "./pglite-client.js";
import { createPglitePrisma, createPgPrisma, type PrismaClient } from "./prisma.js";
import { SessionGate } from "./session-gate.js";
import { settleWithin } from "./settle-within.js";
import { type EmbeddedSocketServer, startSocketServer } from "./socket-server.js";
import type { SqlClient } from "./sql.js";
import { translateDatabaseError } from "./translate-error.js";

export interface Database {
  sql: SqlClient;
  prisma: PrismaClient;
  /** "pglite": this process owns the embedded folder; "pglite-socket": another process owns it. */
  kind: "pglite" | "postgres" | "pglite-socket";
  /** The embedded data folder, or null on PostgreSQL. */
  dataDir: string | null;
  /** True when this process opened the embedded folder itself (and serves it to others). */
  isOwner: boolean;
  /** Closes Prisma, the SQL client and, for the owner, the socket server, PGlite and the lock. */
  close(): Promise<void>;
  /**
   * Through the socket: the error that ended the connection to the owner (it stopped, e.g. was killed),
   * once that happened; every later failure of this handle is a consequence of it. Null otherwise.
   */
  connectionLost?(): FeedbackTriageError | null;
}

/** With role "owner": wait for the process that owns the folder to exit, then take it over. */
export interface WaitForOwner {
  /** Called once per owner waited for. */
  onWaiting?(owner: OwnerInfo, dataDir: string): void;
  /** Stops waiting: openDatabase then rejects with a DatabaseBusyError. */
  signal?: AbortSignal;
}

export interface OpenDatabaseOptions {
  /** The embedded database's folder; default ./.feedback-triage. */
  dataDir?: string;
  /** A PostgreSQL server instead of the embedded database. */
  databaseUrl?: string;
  /** On PostgreSQL, "skip" leaves the schema to a migration task (default "apply"). */
  migrations?: "apply" | "skip";
  /** "owner" refuses to go through another process (the worker must run beside the folder). */
  role?: "owner" | "auto";
  /** Recorded in owner.json so that other processes can say who holds the folder. */
  command?: string;
  /** With role "owner": wait for another owner to exit instead of failing (`feedback-cli worker`). */
  waitForOwner?: WaitForOwner;
  /** How long to wait for an owner that is still starting to publish its port (ms, default 20 s). */
  ownerStartupTimeoutMs?: number;
  /** How long to keep trying to reach a live owner that does not answer, e.g. busy (ms, default 15 s). */
  ownerConnectTimeoutMs?: number;
  /**
   * As owner, how long close() waits for processes connected through the socket to finish before
   * disconnecting them (ms, default 60 s), so that a short-lived owner (an `ingest` that happened to
   * start first) does not pull the database from under another command that is still working.
   */
  waitForClientsOnCloseMs?: number;
  /** As owner of the embedded folder, between the vacuum passes PGlite lacks (ms, default 60 s; see embedded-autovacuum). */
  autovacuumIntervalMs?: number;
}

const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 1000;
const OWNER_POLL_MS = 250;
// Closing a pool whose server went away must not hold up the process (nor leave an await unsettled).
const CLOSE_WITHIN_MS = 2000;

/**
 * Opens a database: PostgreSQL when a URL is given, otherwise the embedded PGlite folder (options.dataDir,
 * else ./.feedback-triage). The first process to open a folder owns it and serves it on 127.0.0.1; later
 * processes connect through that socket. Migrations run on open, except through the socket (the owner ran
 * them) and on PostgreSQL with migrations "skip".
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.migrations ?? "apply");
  return openEmbedded(path.resolve(options.dataDir ?? DEFAULT_DATA_DIR_NAME), options);
}

async function openPostgres(url: string, migrations: "apply" | "skip"): Promise<Database> {
  const sql = PgSqlClient.fromUrl(url);
  try {
    // In production a one-off task migrates as the owner role; the application's restricted role cannot.
    if (migrations === "apply") await migrate(sql);
  } catch (error) {
    await sql.close().catch(() => undefined);
    throw error;
  }
  const prisma = createPgPrisma(sql.pool);
  return {
    sql,
    prisma,
    kind: "postgres",
    dataDir: null,
    isOwner: false,
    close: once(async () => {
      await prisma.$disconnect();
      await sql.close();
    }),
  };
}

async function openEmbedded(dataDir: string, options: OpenDatabaseOptions): Promise<Database> {
  for (;;) {
    const ownership = await acquireOwnership(dataDir, { command: options.command });
    if (ownership.acquired) return openAsOwner(dataDir, ownership.lock, options);
    if (options.role === "owner") {
      if (!options.waitForOwner) throw ownedElsewhere(dataDir, ownership.owner);
      await waitForRelease(dataDir, ownership.owner, options.waitForOwner);
      continue;
    }
    const client = await connectToOwner(dataDir, ownership.owner, {
      startupTimeoutMs: options.ownerStartupTimeoutMs ?? 20_000,
      connectTimeoutMs: options.ownerConnectTimeoutMs ?? 15_000,
    });
    if (client) return client;
    // The owner went away meanwhile: try to become the owner.
  }
}

// PGlite runs with fsync off: committed rows survive a killed process, not a power loss or OS crash.
// Data that must survive those belongs in PostgreSQL (DATABASE_URL).
async function openAsOwner(dataDir: string, lock: OwnerLock, options: OpenDatabaseOptions): Promise<Database> {
  let pglite: PGlite | undefined;
  let server: EmbeddedSocketServer | undefined;
  // Started last, once nothing else can fail: so only close() stops it.
  let autovacuum: EmbeddedAutovacuum | undefined;
  try {
    pglite = await PGlite.create(dataDir).catch((error: unknown) => {
      throw new BackendError(`Cannot open the embedded database in ${dataDir}: ${messageOf(error)}`, {
        cause: error,
        hint: "The folder may be damaged or written by another PGlite version: move it aside, or set FEEDBACK_DATA_DIR to another folder.",
      });
    });
    const db = pglite;
    const gate = new SessionGate();
    const prisma = createPglitePrisma(db, gate);
    const close = once(async () => {
      try {
        await autovacuum?.stop();
        await server?.stop({ waitForClientsMs: options.waitForClientsOnCloseMs ?? 60_000 });
        await prisma.$disconnect().catch(() => undefined);
        await db.close();
      } finally {
        await lock.release();
      }
    });
    const sql = new PgliteSqlClient(db, gate, close);
    await migrate(sql);
    server = await startSocketServer(db, gate);
    await lock.setPort(server.port, server.host);
    autovacuum = startEmbeddedAutovacuum(sql, { intervalMs: options.autovacuumIntervalMs });
    return { sql, prisma, kind: "pglite", dataDir, isOwner: true, close };
  } catch (error) {
    await server?.stop().catch(() => undefined);
    await pglite?.close().catch(() => undefined);
    await lock.release();
    throw error;
  }
}

/**
 * Waits until `owner` no longer holds the folder (it exited, or released it). Polls with a ref'd timer,
 * so the process stays alive while it waits; settles on every outcome (rejects when `wait.signal` aborts).
 */
async function waitForRelease(dataDir: string, owner: OwnerInfo, wait: WaitForOwner): Promise<void> {
  if (!announced.has(ownerKey(owner))) {
    announced.add(ownerKey(owner));
    wait.onWaiting?.(owner, dataDir);
  }
  for (;;) {
    try {
      await delay(OWNER_POLL_MS, undefined, { signal: wait.signal });
    } catch (error) {
      throw new DatabaseBusyError(`Stopped while waiting for ${describe(owner)} to release ${dataDir}`, {
        cause: error,
      });
    }
    const now = await readOwner(dataDir);
    if (!now || ownerKey(now) !== ownerKey(owner) || !isProcessAlive(now.pid)) return;
  }
}

const announced = new Set<string>();

function ownerKey(owner: OwnerInfo): string {
  return `${owner.pid} ${owner.startedAt}`;
}

/**
 * Connects through the owner's socket; null when the owner went away and the caller should retry.
 * A live owner that does not answer (busy, at its connection limit, or between closing its socket and
 * exiting) is retried with backoff for up to `connectTimeoutMs`. Every wait uses a ref'd timer.
 */
async function connectToOwner(
  dataDir: string,
  owner: OwnerInfo,
  timeouts: { startupTimeoutMs: number; connectTimeoutMs: number },
): Promise<Database | null> {
  const startupDeadline = Date.now() + timeouts.startupTimeoutMs;
  let connectDeadline: number | null = null;
  let current = owner;
  let lastError: unknown;
  let wait = FIRST_RETRY_DELAY_MS;
  for (;;) {
    if (current.port !== null) {
      try {
        return await openSocketClient(dataDir, current);
      } catch (error) {
        lastError = error;
        connectDeadline ??= Date.now() + timeouts.connectTimeoutMs;
        if (Date.now() >= connectDeadline) break;
      }
    } else if (Date.now() > startupDeadline) {
      break;
    }
    await delay(wait);
    wait = Math.min(wait * 2, MAX_RETRY_DELAY_MS);
    const now = await readOwner(dataDir);
    if (!now || !isProcessAlive(now.pid) || ownerKey(now) !== ownerKey(current)) return null;
    current = now;
  }
  if (isTooManyConnections(lastError)) throw tooManyClients(dataDir, current, lastError);
  throw unreachableOwner(dataDir, current, lastError);
}

async function openSocketClient(dataDir: string, owner: OwnerInfo): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: `postgres://postgres@${owner.host}:${owner.port}/postgres`,
    // One connection per process: all clients together must stay within the owner's maxConnections.
    max: 1,
    // Kept until close(), so that the owner knows this process still needs it (see waitForClientsOnCloseMs).
    // Not allowExitOnIdle: an unref'd idle socket lets Node end a command between two database steps if
    // nothing else is pending; every command closes its pool (withBackend), so nothing is kept alive by mistake.
    idleTimeoutMillis: 0,
    allowExitOnIdle: false,
    // A connection attempt settles even when the owner accepts and then says nothing.
    connectionTimeoutMillis: 10_000,
  });
  // Once connected, a connection that ends means the owner went away (killed, or closing after its own
  // work): remembered, so that what fails next reports that rather than a driver error. The pool and
  // every client get a listener: an 'error' event without one would crash the process.
  let connected = false;
  let lost: DatabaseBusyError | null = null;
  const onConnectionError = (error: unknown) => {
    if (connected) lost ??= ownerStopped(dataDir, owner, error);
  };
  pool.on("error", onConnectionError);
  pool.on("connect", (client) => client.on("error", onConnectionError));
  const sql = new PgSqlClient(pool, "pglite-socket", (error) => {
    if (connected && !lost && isConnectionLoss(error)) lost = ownerStopped(dataDir, owner, error);
    return lost ?? translateDatabaseError(error);
  });
  try {
    await sql.query("SELECT 1");
    connected = true;
  } catch (error) {
    await settleWithin(sql.close(), CLOSE_WITHIN_MS);
    throw error;
  }
  const prisma = createPgPrisma(sql.pool);
  return {
    sql,
    prisma,
    kind: "pglite-socket",
    dataDir,
    isOwner: false,
    close: once(async () => {
      await settleWithin(prisma.$disconnect(), CLOSE_WITHIN_MS);
      await settleWithin(sql.close(), CLOSE_WITHIN_MS);
    }),
    connectionLost: () => lost,
  };
}

function ownerStopped(dataDir: string, owner: OwnerInfo, cause: unknown): DatabaseBusyError {
  return new DatabaseBusyError(
    `The process that owned the database folder ${dataDir} stopped (pid ${owner.pid}, ${owner.command || "unknown command"})`,
    {
      cause,
      hint: "Re-run the command: it takes the folder over, and rows already ingested are skipped as duplicates.",
    },
  );
}

function describe(owner: OwnerInfo): string {
  return `process ${owner.pid} (${owner.command || "unknown command"}, started ${owner.startedAt})`;
}

function ownedElsewhere(dataDir: string, owner: OwnerInfo): DatabaseBusyError {
  return new DatabaseBusyError(`The embedded database in ${dataDir} is already owned by ${describe(owner)}`, {
    hint: `Stop process ${owner.pid} first (Ctrl+C in its terminal, or 'kill ${owner.pid}'), or let it do the work: other feedback-cli commands go through it while it runs. A PostgreSQL server (DATABASE_URL) has no such limit.`,
  });
}

function unreachableOwner(dataDir: string, owner: OwnerInfo, cause: unknown): DatabaseBusyError {
  const why = owner.port === null ? "has not opened its socket" : `does not answer on ${owner.host}:${owner.port}`;
  return new DatabaseBusyError(`The embedded database in ${dataDir} is owned by ${describe(owner)}, which ${why}`, {
    cause,
    hint: `Wait for it or stop it ('kill ${owner.pid}'). If process ${owner.pid} is not feedback-cli (its pid was reused), delete ${ownerFilePath(dataDir)}.`,
  });
}

function tooManyClients(dataDir: string, owner: OwnerInfo, cause: unknown): DatabaseBusyError {
  return new DatabaseBusyError(
    `Too many feedback-cli processes are connected to the embedded database in ${dataDir} (owned by ${describe(owner)})`,
    {
      cause,
      hint: "Wait for some of them to finish and retry, or use a PostgreSQL server (DATABASE_URL) for many concurrent clients.",
    },
  );
}

// The owner's socket accepts and then closes a connection beyond its limit; node-postgres reports
// "Connection terminated unexpectedly" (refused ports are ECONNREFUSED instead).
function isTooManyConnections(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (/^Connection terminated/.test(e.message)) return true;
  }
  return false;
}

/** The connection broke (as opposed to a query failing on a working connection). */
function isConnectionLoss(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ECONNRESET" || code === "ECONNREFUSED" || code === "EPIPE" || code === "57P01") return true;
    if (/^Connection terminated/.test(e.message)) return true;
  }
  return false;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}
