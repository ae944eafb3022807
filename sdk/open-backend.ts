import path from "node:path";
import type { AwsBackendOptions } from "./aws/backend.js";
import type { Backend } from "./backend.js";
import type { BackendConfig } from "./config/runtime.js";
import { redactUrl } from "./config/secret.js";
import { DEFAULT_DATA_DIR_NAME, embeddedDatabaseExists } from "./db/data-dir.js";
import { type Database, openDatabase, type WaitForOwner } from "./db/open-database.js";
import { LocalArtifactStore } from "./local/artifacts.js";
import { LocalDeliveryStore } from "./local/deliveries.js";
import { LocalEventBus } from "./local/event-bus.js";
import { LocalMetricsSink } from "./local/metrics.js";
import { LocalDeadLetterQueue, LocalQueue } from "./local/queue.js";
import { deleteCurrentReceipts } from "./local/transactional-ack.js";
import { PrismaConfigurationStore } from "./store/configuration-store.js";
import { SqlTicketGrouping } from "./store/grouping-store.js";
import { SqlIntegrationOutbox } from "./store/integration-outbox.js";
import { SqlPersonalDataStore } from "./store/personal-data-store.js";
import { SqlStoreSourceStore } from "./store/store-source-store.js";
import { SqlTicketInsights } from "./store/ticket-read-model.js";
import { TicketStore } from "./store/ticket-store.js";

/** Where a backend would keep tickets, in words, and whether opening it creates a new embedded database. */
export function backendTarget(config: BackendConfig): { target: string; creating: boolean } {
  if (config.backend.databaseUrl) return { target: "PostgreSQL", creating: false };
  return { target: config.backend.dataDir, creating: !embeddedDatabaseExists(config.backend.dataDir) };
}

export interface BackendOptions {
  /** The runtime configuration's backend and AWS settings (loadRuntimeConfig). */
  config: BackendConfig;
  /** Embedded database folder, instead of the configured one. */
  dataDir?: string;
  /** A PostgreSQL URL, instead of the configured one (DATABASE_URL). Neither means the embedded database. */
  databaseUrl?: string;
  /** "owner" insists on owning the embedded database (the worker); "auto" talks to an owner if one runs. */
  role?: "owner" | "auto";
  /** With role "owner": wait for another process that owns the embedded folder to exit, then take it over. */
  waitForOwner?: WaitForOwner;
  queueName?: string;
  /** AWS mode only: injected clients, how the database is opened. */
  aws?: Omit<AwsBackendOptions, "config" | "databaseUrl">;
}

/**
 * The one place that turns configuration into adapters: embedded PGlite or PostgreSQL with the local
 * bus, queue, metrics and artifact folder; or, in AWS mode (FEEDBACK_BACKEND=aws or a stack outputs
 * file), the AWS adapters of a deployed stack (sdk/aws/backend.ts, loaded only then).
 */
export async function openBackend(options: BackendOptions): Promise<Backend> {
  const { config } = options;
  if (config.backend.mode === "aws") {
    // From a laptop the database is out of reach (private subnets): the tickets go through the operator API.
    if (config.aws.settings.operatorApiUrl && !config.backend.databaseUrl && !options.databaseUrl && !options.aws) {
      const { openOperatorBackend } = await import("./remote/backend.js");
      return openOperatorBackend({ config });
    }
    const { openAwsBackend } = await import("./aws/backend.js");
    return openAwsBackend({ ...options.aws, config, databaseUrl: options.databaseUrl });
  }
  return (await openLocalBackend(options)).backend;
}

/**
 * The local backend together with its database handle, for tools that measure or seed the database
 * itself (benchmarks, tests). Product code uses `openBackend`, whose ports are the only way in.
 */
export async function openLocalBackend(options: BackendOptions): Promise<{ backend: Backend; database: Database }> {
  const { config } = options;
  const databaseUrl = options.databaseUrl ?? config.backend.databaseUrl?.reveal();
  const db = await openDatabase({
    dataDir: options.dataDir || config.backend.dataDir,
    databaseUrl,
    role: options.role,
    waitForOwner: options.waitForOwner,
    migrations: config.backend.migrations,
  });
  try {
    const queue = await LocalQueue.open(db.sql, options.queueName ?? "feedback");
    const dlq = await LocalDeadLetterQueue.forSourceQueue(db.sql, queue.name);
    const artifactsDir = db.dataDir
      ? path.join(db.dataDir, "artifacts")
      : (config.backend.artifactsDir ?? path.resolve(DEFAULT_DATA_DIR_NAME, "artifacts"));
    const description =
      db.kind === "postgres"
        ? `PostgreSQL ${redactUrl(databaseUrl!)} with the embedded bus and queue`
        : `embedded PGlite at ${db.dataDir}${db.isOwner ? "" : " (through the process that owns it)"}`;
    const backend: Backend = {
      description,
      kind: db.kind === "postgres" ? "postgres" : "embedded",
      isOwner: db.isOwner,
      bus: new LocalEventBus(db.sql),
      queue,
      dlq,
      tickets: new TicketStore(db, { inTransaction: deleteCurrentReceipts }),
      insights: new SqlTicketInsights(db.sql),
      grouping: new SqlTicketGrouping(db.sql),
      deliveries: new LocalDeliveryStore(db.sql),
      integrations: new SqlIntegrationOutbox(db.sql),
      configuration: new PrismaConfigurationStore(db.prisma),
      metrics: new LocalMetricsSink(db.sql),
      artifacts: new LocalArtifactStore(artifactsDir),
      privacy: new SqlPersonalDataStore(db.sql, { queueInDatabase: true }),
      sources: new SqlStoreSourceStore(db.sql),
      close: () => db.close(),
      connectionLost: () => db.connectionLost?.() ?? null,
    };
    return { backend, database: db };
  } catch (error) {
    await db.close();
    throw error;
  }
}
