import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Backend } from "../../sdk/backend.js";
import type { PrismaClient } from "../../sdk/db/prisma.js";
import { LocalArtifactStore } from "../../sdk/local/artifacts.js";
import { LocalDeliveryStore } from "../../sdk/local/deliveries.js";
import { LocalEventBus } from "../../sdk/local/event-bus.js";
import { LocalMetricsSink } from "../../sdk/local/metrics.js";
import { LocalDeadLetterQueue, LocalQueue } from "../../sdk/local/queue.js";
import { deleteCurrentReceipts } from "../../sdk/local/transactional-ack.js";
import type { MessageQueue } from "../../sdk/ports/queue.js";
import { PrismaConfigurationStore } from "../../sdk/store/configuration-store.js";
import { SqlTicketGrouping } from "../../sdk/store/grouping-store.js";
import { SqlIntegrationOutbox } from "../../sdk/store/integration-outbox.js";
import { SqlPersonalDataStore } from "../../sdk/store/personal-data-store.js";
import { SqlStoreSourceStore } from "../../sdk/store/store-source-store.js";
import { SqlTicketInsights } from "../../sdk/store/ticket-read-model.js";
import { type AckStrategy, TicketStore } from "../../sdk/store/ticket-store.js";
import { createTestDatabase, type TestDatabase } from "./database.js";
import { prismaFor } from "./prisma.js";

/**
 * How a committed ticket acknowledges its message: "in-transaction" deletes the embedded queue's row in
 * the ticket's own transaction (the local backend); "after-commit" calls `queue.deleteBatch` once the
 * transaction has committed (SQS, as on AWS).
 */
export type TestAck = "in-transaction" | "after-commit";

export interface TestBackendOptions extends Partial<Omit<Backend, "close">> {
  /** Default: "in-transaction" on the embedded queue, "after-commit" when `queue` is injected. */
  ack?: TestAck;
  /** Folder behind `artifacts`; default a fresh temporary folder, removed on close. */
  artifactsDir?: string;
}

/** The test database with a Prisma client on it, as the adapters use them. */
export interface TestBackendDatabase extends TestDatabase {
  prisma: PrismaClient;
}

export interface TestBackend {
  backend: Backend;
  db: TestBackendDatabase;
  /** Closes the backend and the database; safe to call again (e.g. after the code under test closed it). */
  close(): Promise<void>;
}

/**
 * A Backend with every adapter over a fresh migrated test database (PGlite from the template, or
 * TEST_DATABASE_URL's server): the embedded bus, queue and DLQ, tickets, insights, deliveries,
 * configuration, metrics, and artifacts in a folder. `options` replaces any adapter (an SQS fake queue,
 * a bus that fails) and says how tickets acknowledge their messages.
 */
export async function openTestBackend(options: TestBackendOptions = {}): Promise<TestBackend> {
  const { ack, artifactsDir, ...adapters } = options;
  const database = await createTestDatabase();
  const db: TestBackendDatabase = { ...database, prisma: prismaFor(database.sql) };
  const temporaryArtifacts = artifactsDir ? null : await mkdtemp(path.join(os.tmpdir(), "ft-test-artifacts-"));
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await db.prisma.$disconnect();
      await database.close();
      if (temporaryArtifacts) await rm(temporaryArtifacts, { recursive: true, force: true });
    })();
    return closing;
  };
  try {
    const queue = adapters.queue ?? (await LocalQueue.open(db.sql, "feedback"));
    const dlq = adapters.dlq ?? (await LocalDeadLetterQueue.forSourceQueue(db.sql, queue.name));
    const acknowledge = acknowledgeStrategy(ack ?? (adapters.queue ? "after-commit" : "in-transaction"), queue);
    const backend: Backend = {
      description: `test database (${db.sql.kind})`,
      kind: "embedded",
      isOwner: true,
      bus: new LocalEventBus(db.sql),
      tickets: new TicketStore(db, acknowledge),
      insights: new SqlTicketInsights(db.sql),
      grouping: new SqlTicketGrouping(db.sql),
      deliveries: new LocalDeliveryStore(db.sql),
      integrations: new SqlIntegrationOutbox(db.sql),
      configuration: new PrismaConfigurationStore(db.prisma),
      metrics: new LocalMetricsSink(db.sql),
      artifacts: new LocalArtifactStore(artifactsDir ?? temporaryArtifacts!),
      privacy: new SqlPersonalDataStore(db.sql, { queueInDatabase: !adapters.queue }),
      sources: new SqlStoreSourceStore(db.sql),
      ...adapters,
      queue,
      dlq,
      close,
    };
    return { backend, db, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function acknowledgeStrategy(ack: TestAck, queue: MessageQueue): AckStrategy {
  if (ack === "in-transaction") return { inTransaction: deleteCurrentReceipts };
  return {
    afterCommit: async (handles) => {
      await queue.deleteBatch(handles);
    },
  };
}
