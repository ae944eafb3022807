import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import type { StatusReport } from "../../app/status/status-report.js";
import { StatusJson } from "../../cli/output-schemas.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { openLocalBackend } from "../../sdk/open-backend.js";
import type { NewTicket } from "../../sdk/ports/tickets.js";
import { insertTickets } from "../../sdk/store/ticket-writer.js";
import { runCli } from "./cli.js";
import { createTestDatabase, type TestDatabase } from "./database.js";

export interface CliWorkspace {
  /** A fresh folder the commands run in (the embedded database goes in it). */
  readonly cwd: string;
  /** DATABASE_URL of a fresh database when the suite runs against PostgreSQL. */
  env(): NodeJS.ProcessEnv;
  /** `feedback-cli status --json`, checked. */
  status(): Promise<StatusReport>;
  /** Polls `status` until `predicate` holds (fails after `timeoutMs`). */
  waitForStatus(predicate: (status: StatusReport) => boolean, timeoutMs?: number): Promise<StatusReport>;
}

/** For a describe block: a folder and (on PostgreSQL) a database of its own, dropped after the block. */
export function useCliWorkspace(prefix: string): CliWorkspace {
  let cwd = "";
  let db: TestDatabase | null = null;
  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), prefix));
    if (process.env.TEST_DATABASE_URL) db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });
  const workspace: CliWorkspace = {
    get cwd() {
      return cwd;
    },
    env: () => (db?.url ? { DATABASE_URL: db.url } : {}),
    async status() {
      const result = await runCli(["status", "--json"], { cwd, env: workspace.env() });
      expect(result.code, result.stderr).toBe(0);
      return StatusJson.parse(JSON.parse(result.stdout));
    },
    async waitForStatus(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const status = await workspace.status();
        if (predicate(status)) return status;
        if (Date.now() > deadline) throw new Error(`status not reached in ${timeoutMs} ms: ${JSON.stringify(status)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
  };
  return workspace;
}

/** Writes tickets (as the worker would) straight into the workspace's database; returns them. */
export async function seedWorkspaceTickets(workspace: CliWorkspace, tickets: NewTicket[]): Promise<NewTicket[]> {
  const { backend, database } = await openLocalBackend({
    config: loadRuntimeConfig({}),
    dataDir: path.join(workspace.cwd, ".feedback-triage"),
    databaseUrl: workspace.env().DATABASE_URL,
  });
  try {
    await insertTickets(database.sql, tickets);
  } finally {
    await backend.close();
  }
  return tickets;
}
