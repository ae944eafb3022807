import type { PipelineDeps } from "../../app/worker/pipeline.js";
import type { Backend } from "../../sdk/backend.js";
import type { TriageAgents } from "../../sdk/ports/agents.js";
import { openTestBackend, type TestBackendDatabase } from "./backend.js";

export interface PipelineFixture {
  backend: Backend;
  db: TestBackendDatabase;
  queue: Backend["queue"];
  dlq: Backend["dlq"];
  configuration: Backend["configuration"];
  tickets: Backend["tickets"];
  deps: PipelineDeps;
  ticketCount(): Promise<number>;
  close(): Promise<void>;
}

const NO_AGENTS: TriageAgents = {
  name: "none",
  triage: async () => {
    throw new Error("this test gave the pipeline no agents");
  },
};

/** The test backend (openTestBackend) with the worker pipeline over its queue (agents from `overrides`). */
export async function openPipelineFixture(overrides: Partial<PipelineDeps> = {}): Promise<PipelineFixture> {
  const { backend, db, close } = await openTestBackend();
  const { queue, dlq, configuration, tickets } = backend;
  return {
    backend,
    db,
    queue,
    dlq,
    configuration,
    tickets,
    deps: { queue, tickets, agents: NO_AGENTS, configuration, ...overrides },
    async ticketCount() {
      const { rows } = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM tickets");
      return Number(rows[0]?.n);
    },
    close,
  };
}
