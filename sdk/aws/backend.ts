import type { Backend } from "../backend.js";
import { type Database, openDatabase } from "../db/open-database.js";
import { PgSqlClient } from "../db/pg-client.js";
import { createPgPrisma } from "../db/prisma.js";
import { ConfigurationError } from "../errors.js";
import { LocalDeliveryStore } from "../local/deliveries.js";
import { PrismaConfigurationStore } from "../store/configuration-store.js";
import { SqlTicketInsights } from "../store/ticket-read-model.js";
import { TicketStore } from "../store/ticket-store.js";
import { S3ArtifactStore } from "./artifacts.js";
import { type AwsClients, createAwsClients, destroyAwsClients } from "./clients.js";
import { type AwsSettings, BACKEND_SETTINGS, requireAwsSettings, resolveAwsSettings } from "./config.js";
import { SqsDeadLetterQueue } from "./dead-letter-queue.js";
import { EventBridgePublisher } from "./event-bus.js";
import { DynamoFailureLog } from "./failure-log.js";
import { DynamoMetricsSink } from "./metrics.js";
import { SqsQueue } from "./queue.js";
import { resolveDatabaseUrl, SecretReader } from "./secrets.js";

export interface AwsAdapters {
  bus: EventBridgePublisher;
  queue: SqsQueue;
  dlq: SqsDeadLetterQueue;
  metrics: DynamoMetricsSink;
  artifacts: S3ArtifactStore;
}

/** The AWS adapters for the settings a Backend needs (each on its injected client). */
export function createAwsAdapters(settings: AwsSettings, clients: AwsClients): AwsAdapters {
  const s = requireAwsSettings(settings, BACKEND_SETTINGS);
  const failureLog = new DynamoFailureLog(clients.dynamo, s.analyticsTableName);
  const queue = new SqsQueue(clients.sqs, { queueUrl: s.queueUrl, failureLog });
  return {
    bus: new EventBridgePublisher(clients.eventBridge, { eventBusName: s.eventBusName }),
    queue,
    dlq: new SqsDeadLetterQueue(clients.sqs, { dlqUrl: s.dlqUrl, sourceQueue: queue, failureLog }),
    metrics: new DynamoMetricsSink(clients.dynamo, {
      metricsTable: s.metricsTableName,
      analyticsTable: s.analyticsTableName,
    }),
    artifacts: new S3ArtifactStore(clients.s3, { bucket: s.artifactsBucketName }),
  };
}

export interface AwsBackendOptions {
  env?: NodeJS.ProcessEnv;
  /** A PostgreSQL URL; default DATABASE_URL, else read from the database secret (databaseSecretArn). */
  databaseUrl?: string;
  stackOutputsFile?: string;
  /** Injected clients (tests); the others are created for the region. */
  clients?: Partial<AwsClients>;
  /**
   * How the ticket store's database is opened; default openDatabase, which applies pending migrations,
   * unless FEEDBACK_MIGRATIONS=skip (the deployed tasks: a migration task owns the schema).
   */
  openDatabase?: (databaseUrl: string) => Promise<Database>;
}

/**
 * The Backend of a deployed stack: EventBridge, SQS (+ DLQ), DynamoDB metrics and S3 artifacts, with
 * the tickets in the same Prisma/SQL code on RDS PostgreSQL. The ticket store acknowledges right after its
 * commit: redelivery is absorbed by the unique (source type, source id) key.
 */
export async function openAwsBackend(options: AwsBackendOptions = {}): Promise<Backend> {
  const env = options.env ?? process.env;
  const settings = resolveAwsSettings({ env, stackOutputsFile: options.stackOutputsFile });
  const s = requireAwsSettings(settings, BACKEND_SETTINGS);
  const clients = createAwsClients(s.region, options.clients, env);
  try {
    const adapters = createAwsAdapters(settings, clients);
    const databaseUrl =
      options.databaseUrl ?? (env.DATABASE_URL || undefined) ?? (await databaseUrlFromSecret(settings, clients, env));
    const db = await (options.openDatabase ?? ((url: string) => openRds(url, env)))(databaseUrl);
    return {
      description: `AWS ${s.region}: EventBridge bus ${s.eventBusName}, SQS queue ${adapters.queue.name} (DLQ ${adapters.dlq.name}), tickets in PostgreSQL ${redactUrl(databaseUrl)}`,
      kind: "aws",
      isOwner: false,
      bus: adapters.bus,
      queue: adapters.queue,
      dlq: adapters.dlq,
      tickets: new TicketStore(db, {
        afterCommit: async (handles) => {
          await adapters.queue.deleteBatch(handles);
        },
      }),
      insights: new SqlTicketInsights(db.sql),
      deliveries: new LocalDeliveryStore(db.sql),
      configuration: new PrismaConfigurationStore(db.prisma),
      metrics: adapters.metrics,
      artifacts: adapters.artifacts,
      close: async () => {
        adapters.queue.interruptReceives();
        try {
          await db.close();
        } finally {
          destroyAwsClients(clients);
        }
      },
    };
  } catch (error) {
    destroyAwsClients(clients);
    throw error;
  }
}

/** PostgreSQL (RDS) with the migrations applied on open, or without when FEEDBACK_MIGRATIONS=skip. */
async function openRds(url: string, env: NodeJS.ProcessEnv): Promise<Database> {
  if (env.FEEDBACK_MIGRATIONS !== "skip") return openDatabase({ databaseUrl: url });
  const sql = PgSqlClient.fromUrl(url);
  const prisma = createPgPrisma(sql.pool);
  let closed: Promise<void> | undefined;
  return {
    sql,
    prisma,
    kind: "postgres",
    dataDir: null,
    isOwner: false,
    close: () => {
      closed ??= prisma.$disconnect().then(() => sql.close());
      return closed;
    },
  };
}

async function databaseUrlFromSecret(
  settings: AwsSettings,
  clients: AwsClients,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  if (!settings.databaseSecretArn) {
    throw new ConfigurationError("AWS mode has no database: neither DATABASE_URL nor the database secret is set", {
      hint: 'Set DATABASE_URL, or FEEDBACK_DATABASE_SECRET_ARN (stack output "databaseSecretArn").',
    });
  }
  return resolveDatabaseUrl(new SecretReader(clients.secrets), settings.databaseSecretArn, {
    sslMode: env.FEEDBACK_DATABASE_SSLMODE || undefined,
  });
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable database URL)";
  }
}
