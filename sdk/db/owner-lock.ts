import { randomUUID } from "node:crypto";
import { readFileSync, unlinkSync } from "node:fs";
import { link, mkdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { BackendError } from "../errors.js";

/**
 * Who owns an embedded data folder. PGlite has no cross-process locking (two processes that open one
 * folder both succeed and lose each other's rows), so exactly one process opens it and serves the
 * others through a socket on `host:port`.
 */
export interface OwnerInfo {
  pid: number;
  /** null until the owner's socket server listens. */
  port: number | null;
  host: string;
  startedAt: string;
  command: string;
}

export type Ownership = { acquired: true; lock: OwnerLock } | { acquired: false; owner: OwnerInfo };

export const OWNER_FILE = "owner.json";
const TAKEOVER_FILE = "owner.json.takeover";
// A takeover lock is held for a few milliseconds; one older than this belongs to a process that died in it.
const TAKEOVER_STALE_MS = 10_000;

export function ownerFilePath(dataDir: string): string {
  return path.join(dataDir, OWNER_FILE);
}

/** Signal 0 checks existence only; EPERM means it exists but belongs to another user. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The recorded owner, or null when there is none or the file is unreadable. */
export async function readOwner(dataDir: string): Promise<OwnerInfo | null> {
  try {
    return parseOwner(await readFile(ownerFilePath(dataDir), "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

function parseOwner(text: string): OwnerInfo | null {
  try {
    const value = JSON.parse(text) as Partial<OwnerInfo>;
    if (typeof value.pid !== "number") return null;
    return {
      pid: value.pid,
      port: typeof value.port === "number" ? value.port : null,
      host: typeof value.host === "string" ? value.host : "127.0.0.1",
      startedAt: String(value.startedAt ?? ""),
      command: String(value.command ?? ""),
    };
  } catch {
    return null;
  }
}

function defaultCommand(): string {
  const script = process.argv[1] ? path.basename(process.argv[1]) : "node";
  return [script, ...process.argv.slice(2)].join(" ");
}

/** Writes `info` to a temp file beside `target`, then `commit`s it (link = create-if-absent, rename = replace). */
async function writeAtomically(target: string, info: OwnerInfo, commit: "link" | "rename"): Promise<void> {
  const temp = `${target}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temp, `${JSON.stringify(info, null, 2)}\n`);
  try {
    if (commit === "link") await link(temp, target);
    else await rename(temp, target);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

const heldLocks = new Set<OwnerLock>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Best effort: 'exit' does not run after SIGKILL or an unhandled signal; the next process then
  // finds a dead pid and takes the lock over.
  process.on("exit", () => {
    for (const lock of heldLocks) lock.releaseSync();
  });
}

/** This process's ownership of a data folder. */
export class OwnerLock {
  private released = false;

  constructor(
    readonly dataDir: string,
    private current: OwnerInfo,
  ) {
    heldLocks.add(this);
    installExitHook();
  }

  get info(): OwnerInfo {
    return { ...this.current };
  }

  get path(): string {
    return ownerFilePath(this.dataDir);
  }

  /** Publishes the socket port once the server listens (replaced atomically, readers never see half a file). */
  async setPort(port: number, host = this.current.host): Promise<void> {
    this.current = { ...this.current, port, host };
    await writeAtomically(this.path, this.current, "rename");
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    heldLocks.delete(this);
    const owner = await readOwner(this.dataDir).catch(() => null);
    if (this.isMine(owner)) await unlink(this.path).catch(() => undefined);
  }

  releaseSync(): void {
    if (this.released) return;
    this.released = true;
    heldLocks.delete(this);
    try {
      if (this.isMine(parseOwner(readFileSync(this.path, "utf8")))) unlinkSync(this.path);
    } catch {
      // Already gone, or the process is exiting anyway.
    }
  }

  private isMine(owner: OwnerInfo | null): boolean {
    return owner?.pid === this.current.pid && owner.startedAt === this.current.startedAt;
  }
}

/**
 * Takes ownership of `dataDir`, or reports the alive process that has it. A lock left by a dead
 * process is taken over; when several processes race for it, exactly one wins.
 */
export async function acquireOwnership(
  dataDir: string,
  options: { command?: string; host?: string } = {},
): Promise<Ownership> {
  await mkdir(dataDir, { recursive: true });
  const file = ownerFilePath(dataDir);
  const mine: OwnerInfo = {
    pid: process.pid,
    port: null,
    host: options.host ?? "127.0.0.1",
    startedAt: new Date().toISOString(),
    command: options.command ?? defaultCommand(),
  };
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await writeAtomically(file, mine, "link");
      return { acquired: true, lock: new OwnerLock(dataDir, mine) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw lockError(file, error);
    }
    const owner = await readOwner(dataDir).catch((error: unknown) => {
      throw lockError(file, error);
    });
    if (owner && isProcessAlive(owner.pid)) return { acquired: false, owner };
    await removeStaleOwner(dataDir);
  }
  throw lockError(file, new Error("the lock kept changing hands"));
}

/**
 * Removes owner.json if it still names a dead process. Only the holder of the takeover lock may do
 * that, so a fresh lock written by a racing process is never removed in its place.
 */
async function removeStaleOwner(dataDir: string): Promise<void> {
  const takeover = path.join(dataDir, TAKEOVER_FILE);
  const me: OwnerInfo = { pid: process.pid, port: null, host: "", startedAt: new Date().toISOString(), command: "" };
  try {
    await writeAtomically(takeover, me, "link");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw lockError(takeover, error);
    await removeIfAbandoned(takeover);
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    return;
  }
  try {
    let text: string;
    try {
      text = await readFile(ownerFilePath(dataDir), "utf8");
    } catch {
      return; // Already gone: a fresh lock may be linked any moment now, and must not be removed.
    }
    // Nobody else can replace an existing file while we hold the takeover lock (new locks are only
    // linked where none exists), so what we read is what we remove. Unreadable content counts as stale.
    const owner = parseOwner(text);
    if (owner === null || !isProcessAlive(owner.pid)) await unlink(ownerFilePath(dataDir)).catch(() => undefined);
  } finally {
    await unlink(takeover).catch(() => undefined);
  }
}

async function removeIfAbandoned(takeover: string): Promise<void> {
  try {
    const { mtimeMs } = await stat(takeover);
    if (Date.now() - mtimeMs > TAKEOVER_STALE_MS) await unlink(takeover);
  } catch {
    // Released meanwhile.
  }
}

function lockError(file: string, cause: unknown): BackendError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new BackendError(`Cannot take the embedded database lock ${file}: ${reason}`, {
    cause,
    hint: "Check that the data folder is writable (FEEDBACK_DATA_DIR), or use a PostgreSQL server via DATABASE_URL.",
  });
}
