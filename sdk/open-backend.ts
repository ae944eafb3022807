import path from "node:path";
import type { AwsBackendOptions } from "./aws/backend.js";
import { isAwsMode } from "./aws/config.js";
import type { Backend } from "./backend.js";
import { type Database, openDatabase } from "./db/open-database.js";
import { LocalArtifactStore } from "./local/artifacts.js";
import { LocalDeliveryStore } from "./local/deliveries.js";
import { LocalEventBus } from "./local/event-bus.js";
import { LocalMetricsSink } from "./local/metrics.js";
import { LocalDeadLetterQueue, LocalQueue } from "./local/queue.js";
import { deleteCurrentReceipts } from "./local/transactional-ack.js";
import { PrismaConfigurationStore } from "./store/configuration-store.js";
import { SqlTicketInsights } from "./store/ticket-read-model.js";
import { TicketStore } from "./store/ticket-store.js";

export interface BackendOptions {
  /** Embedded database folder; default FEEDBACK_DATA_DIR or ./.feedback-triage. */
  dataDir?: string;
  /** A PostgreSQL URL; default DATABASE_URL. Unset means the embedded database. */
  databaseUrl?: string;
  /** "owner" insists on owning the embedded database (the worker); "auto" talks to an owner if one runs. */
  role?: "owner" | "auto";
  queueName?: string;
  env?: NodeJS.ProcessEnv;
  /** AWS mode only: injected clients, a stack outputs file other than FEEDBACK_STACK_OUTPUTS, ... */
  aws?: Omit<AwsBackendOptions, "env" | "databaseUrl">;
}

/**
 * The one place that turns configuration into adapters: embedded PGlite or PostgreSQL with the local
 * bus, queue, metrics and artifact folder; or, with FEEDBACK_BACKEND=aws or a stack outputs file
 * (FEEDBACK_STACK_OUTPUTS), the AWS adapters of a deployed stack (sdk/aws/backend.ts, loaded only then).
 */
export async function openBackend(options: BackendOptions = {}): Promise<Backend> {
  const env = options.env ?? process.env;
  if (isAwsMode(env)) {
    const { openAwsBackend } = await import("./aws/backend.js");
    return openAwsBackend({ ...options.aws, env, databaseUrl: options.databaseUrl });
  }
  return (await openLocalBackend(options, env)).backend;
}

/**
 * The local backend together with its database handle, for tools that measure or seed the database
 * itself (benchmarks, tests). Product code uses `openBackend`, whose ports are the only way in.
 */
export async function openLocalBackend(
  options: BackendOptions = {},
  env: NodeJS.ProcessEnv = options.env ?? process.env,
): Promise<{ backend: Backend; database: Database }> {
  const databaseUrl = options.databaseUrl ?? (env.DATABASE_URL || undefined);
  const db = await openDatabase({
    dataDir: options.dataDir || env.FEEDBACK_DATA_DIR || undefined,
    databaseUrl,
    role: options.role,
  });
  try {
    const queue = await LocalQueue.open(db.sql, options.queueName ?? "feedback");
    const dlq = await LocalDeadLetterQueue.forSourceQueue(db.sql, queue.name);
    const artifactsDir = db.dataDir
      ? path.join(db.dataDir, "artifacts")
      : path.resolve(env.FEEDBACK_ARTIFACTS_DIR ?? ".feedback-triage/artifacts");
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
      deliveries: new LocalDeliveryStore(db.sql),
      configuration: new PrismaConfigurationStore(db.prisma),
      metrics: new LocalMetricsSink(db.sql),
      artifacts: new LocalArtifactStore(artifactsDir),
      close: () => db.close(),
    };
    return { backend, database: db };
  } catch (error) {
    await db.close();
    throw error;
  }
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}
