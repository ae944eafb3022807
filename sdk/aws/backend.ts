import type { Backend } from "../backend.js";
import type { BackendConfig } from "../config/runtime.js";
import { redactUrl } from "../config/secret.js";
import { type Database, openDatabase } from "../db/open-database.js";
import { PgSqlClient } from "../db/pg-client.js";
import { ConfigurationError } from "../errors.js";
import { LocalDeliveryStore } from "../local/deliveries.js";
import { PrismaConfigurationStore } from "../store/configuration-store.js";
import { SqlTicketGrouping } from "../store/grouping-store.js";
import { SqlIntegrationOutbox } from "../store/integration-outbox.js";
import { SqlPersonalDataStore } from "../store/personal-data-store.js";
import { SqlStoreSourceStore } from "../store/store-source-store.js";
import { SqlTicketInsights } from "../store/ticket-read-model.js";
import { TicketStore } from "../store/ticket-store.js";
import { S3ArtifactStore } from "./artifacts.js";
import { type AwsClients, createAwsClients, destroyAwsClients } from "./clients.js";
import { type AwsSettings, BACKEND_SETTINGS, requireAwsSettings } from "./config.js";
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
  config: BackendConfig;
  /** A PostgreSQL URL; default DATABASE_URL, else read from the database secret (databaseSecretArn). */
  databaseUrl?: string;
  /** Injected clients (tests); the others are created for the region. */
  clients?: Partial<AwsClients>;
  /**
   * How the ticket store's database is opened; default openDatabase, which applies pending migrations,
   * unless FEEDBACK_MIGRATIONS=skip (the deployed tasks: a migration task owns the schema).
   */
  openDatabase?: (databaseUrl: string) => Promise<Database>;
  /** A read replica's URL for the aggregate reads (insights); default DATABASE_READER_URL, else none. */
  databaseReaderUrl?: string;
}

/**
 * The Backend of a deployed stack: EventBridge, SQS (+ DLQ), DynamoDB metrics and S3 artifacts, with
 * the tickets in the same Prisma/SQL code on RDS PostgreSQL. The ticket store acknowledges right after its
 * commit: redelivery is absorbed by the unique (source type, source id) key.
 */
export async function openAwsBackend(options: AwsBackendOptions): Promise<Backend> {
  const { backend: config, aws } = options.config;
  const s = requireAwsSettings(aws.settings, BACKEND_SETTINGS);
  const clients = createAwsClients(aws, options.clients);
  try {
    const adapters = createAwsAdapters(aws.settings, clients);
    const databaseUrl =
      options.databaseUrl ??
      config.databaseUrl?.reveal() ??
      (await databaseUrlFromSecret(aws.settings, clients, config.databaseSslMode));
    const openRds = (url: string) => openDatabase({ databaseUrl: url, migrations: config.migrations });
    const db = await (options.openDatabase ?? openRds)(databaseUrl);
    // The large tier's read replica serves the dashboard's aggregate reads, off the primary that takes the writes.
    const readerUrl = options.databaseReaderUrl ?? config.databaseReaderUrl?.reveal();
    const reader = readerUrl ? PgSqlClient.fromUrl(readerUrl, { max: 4 }) : undefined;
    const replica = readerUrl ? `, aggregate reads from ${redactUrl(readerUrl)}` : "";
    return {
      description: `AWS ${s.region}: EventBridge bus ${s.eventBusName}, SQS queue ${adapters.queue.name} (DLQ ${adapters.dlq.name}), tickets in PostgreSQL ${redactUrl(databaseUrl)}${replica}`,
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
      insights: new SqlTicketInsights(reader ?? db.sql),
      grouping: new SqlTicketGrouping(db.sql),
      deliveries: new LocalDeliveryStore(db.sql),
      integrations: new SqlIntegrationOutbox(db.sql),
      configuration: new PrismaConfigurationStore(db.prisma),
      metrics: adapters.metrics,
      artifacts: adapters.artifacts,
      privacy: new SqlPersonalDataStore(db.sql, {
        queueInDatabase: false,
        queueElsewhere: `queue and dead-letter queue: SQS (${adapters.queue.name}, ${adapters.dlq.name}) cannot be searched without receiving every message; messages expire after the queue's retention (14 days)`,
      }),
      sources: new SqlStoreSourceStore(db.sql),
      close: async () => {
        adapters.queue.interruptReceives();
        try {
          await Promise.all([db.close(), reader?.close()]);
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

async function databaseUrlFromSecret(
  settings: AwsSettings,
  clients: AwsClients,
  sslMode: BackendConfig["backend"]["databaseSslMode"],
): Promise<string> {
  if (!settings.databaseSecretArn) {
    throw new ConfigurationError("AWS mode has no database: neither DATABASE_URL nor the database secret is set", {
      hint: 'Set DATABASE_URL, or FEEDBACK_DATABASE_SECRET_ARN (stack output "databaseSecretArn").',
    });
  }
  return resolveDatabaseUrl(new SecretReader(clients.secrets), settings.databaseSecretArn, { sslMode });
}
