import type { PipelineDeps } from "../../app/worker/pipeline.js";
import type { PrismaClient } from "../../sdk/db/prisma.js";
import { LocalDeadLetterQueue, LocalQueue } from "../../sdk/local/queue.js";
import { deleteCurrentReceipts } from "../../sdk/local/transactional-ack.js";
import type { TriageAgents } from "../../sdk/ports/agents.js";
import { PrismaConfigurationStore } from "../../sdk/store/configuration-store.js";
import { TicketStore } from "../../sdk/store/ticket-store.js";
import { createTestDatabase, type TestDatabase } from "./database.js";
import { prismaFor } from "./prisma.js";

export interface PipelineFixture {
  db: TestDatabase;
  prisma: PrismaClient;
  queue: LocalQueue;
  dlq: LocalDeadLetterQueue;
  configuration: PrismaConfigurationStore;
  tickets: TicketStore;
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

/** A fresh migrated database with the embedded queue, its DLQ and the worker pipeline (agents from `overrides`). */
export async function openPipelineFixture(overrides: Partial<PipelineDeps> = {}): Promise<PipelineFixture> {
  const db = await createTestDatabase();
  const prisma = prismaFor(db.sql);
  const queue = await LocalQueue.open(db.sql, "feedback");
  const dlq = await LocalDeadLetterQueue.forSourceQueue(db.sql, "feedback");
  const configuration = new PrismaConfigurationStore(prisma);
  const tickets = new TicketStore({ prisma, sql: db.sql }, { inTransaction: deleteCurrentReceipts });
  return {
    db,
    prisma,
    queue,
    dlq,
    configuration,
    tickets,
    deps: {
      queue,
      tickets,
      agents: NO_AGENTS,
      configuration,
      ...overrides,
    },
    async ticketCount() {
      const { rows } = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM tickets");
      return Number(rows[0]?.n);
    },
    async close() {
      await prisma.$disconnect();
      await db.close();
    },
  };
}
