import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { DatabaseBackup } from "./components/backup.js";
import { Dashboard } from "./components/dashboard.js";
import { Database } from "./components/database.js";
import { Events } from "./components/events.js";
import { Ingestion } from "./components/ingestion.js";
import type { LambdaKind } from "./components/lambda-handlers.js";
import { Metrics } from "./components/metrics.js";
import { Network } from "./components/network.js";
import { Observability } from "./components/observability.js";
import { OperatorApi } from "./components/operator-api.js";
import { WorkQueue } from "./components/queue.js";
import { Sources } from "./components/sources.js";
import { Storage } from "./components/storage.js";
import { StorePull } from "./components/store-pull.js";
import { trackerEventsFunction } from "./components/tracker-events.js";
import { Worker } from "./components/worker.js";
import type { Settings } from "./config.js";
import type { StackOutputName } from "./names.js";
import { dbMaxConnections } from "./sizing.js";

export interface StackSecrets {
  anthropicApiKey?: pulumi.Input<string>;
  oidcClientSecret?: pulumi.Input<string>;
}

export interface StackOptions {
  /** Handler modules to bundle instead of the real ones under worker/handlers (unit tests, synth). */
  handlers?: Partial<Record<LambdaKind, string>>;
}

const BASE = "feedback";

/** Wires one component per part of the architecture and returns the stack outputs. */
export function createStack(settings: Settings, secrets: StackSecrets = {}, options: StackOptions = {}) {
  const s = settings.sizing;
  const disposable = !settings.production;
  const logs = { logRetentionDays: s.logRetentionDays };
  const lambdaTracing = { tracingLayerArn: settings.lambdaTracingLayerArn };

  const network = new Network(`${BASE}-network`, {
    vpcCidr: settings.vpcCidr,
    azCount: s.azCount,
    natGateways: s.natGateways,
    flowLogRetentionDays: s.flowLogRetentionDays,
  });
  const sg = network.securityGroups;
  const queue = new WorkQueue(`${BASE}-queue`, {
    fifo: settings.queueFifo,
    maxReceiveCount: settings.queueMaxReceiveCount,
  });
  const ingestion = new Ingestion(`${BASE}-ingestion`, {
    queueArn: queue.queue.arn,
    queueUrl: queue.queue.url,
    handlerEntry: options.handlers?.ingestion,
    reservedConcurrency: s.lambdaReservedConcurrency,
    ...logs,
    ...lambdaTracing,
  });
  const events = new Events(`${BASE}-events`, {
    targetFunctionArn: ingestion.fn.function.arn,
    targetFunctionName: ingestion.fn.function.name,
  });
  const metrics = new Metrics(`${BASE}-metrics`, { deletionProtection: settings.production });
  const storage = new Storage(`${BASE}-storage`, {
    backupReplicaRegion: settings.backupReplicaRegion,
    forceDestroy: disposable,
  });
  const database = new Database(`${BASE}-database`, {
    subnetIds: network.privateSubnetIds,
    securityGroupId: sg.database.id,
    instanceClass: s.db.instanceClass,
    multiAz: s.db.multiAz,
    allocatedStorageGb: s.db.allocatedStorageGb,
    readReplica: s.db.readReplica,
    engineVersion: settings.dbEngineVersion,
    production: settings.production,
  });
  const tables = {
    metricsArn: metrics.metricsTable.arn,
    metricsName: metrics.metricsTable.name,
    analyticsArn: metrics.analyticsTable.arn,
    analyticsName: metrics.analyticsTable.name,
  };
  const artifacts = { arn: storage.artifacts.bucket.arn, name: storage.artifacts.bucket.bucket };
  // Every backend in AWS mode needs the bus's name (sdk/aws/config.ts BACKEND_SETTINGS), even one that never publishes.
  const eventBus = { arn: events.bus.arn, name: events.bus.name };
  const worker = new Worker(`${BASE}-worker`, {
    subnetIds: network.privateSubnetIds,
    securityGroupId: sg.worker.id,
    migrationSecurityGroupId: sg.migration.id,
    queue: { arn: queue.queue.arn, url: queue.queue.url, name: queue.queue.name },
    dlqUrl: queue.dlq.url,
    eventBusName: eventBus.name,
    tables,
    artifacts,
    database: {
      host: database.instance.address,
      port: database.instance.port,
      appSecretArn: database.appSecret.arn,
      masterSecretArn: database.masterSecretArn,
      readerHost: database.replica?.address,
    },
    image: settings.workerImage,
    postgresMajor: settings.dbEngineVersion.split(".")[0],
    anthropicApiKey: secrets.anthropicApiKey,
    agents: settings.agents,
    ...s.worker,
    production: settings.production,
    ...logs,
  });
  const backup = new DatabaseBackup(`${BASE}-backup`, {
    clusterArn: worker.cluster.arn,
    image: worker.image,
    subnetIds: network.privateSubnetIds,
    securityGroupId: sg.worker.id,
    appSecretArn: database.appSecret.arn,
    bucket: { arn: storage.backups.bucket.arn, name: storage.backups.bucket.bucket },
    region: aws.getRegionOutput().region,
    ...logs,
  });
  // The Lambdas in the VPC that open the whole backend (operator API, store pull, tracker webhooks).
  const inVpc = {
    subnetIds: network.privateSubnetIds,
    securityGroupId: sg.worker.id,
    databaseSecretArn: database.appSecret.arn,
    settings: {
      eventBusName: eventBus.name,
      queueUrl: queue.queue.url,
      dlqUrl: queue.dlq.url,
      metricsTableName: tables.metricsName,
      analyticsTableName: tables.analyticsName,
      artifactsBucketName: artifacts.name,
    },
    ...logs,
    ...lambdaTracing,
  };
  const trackerEvents = trackerEventsFunction(`${BASE}-tracker-events`, {
    ...inVpc,
    integrationSecretsArn: worker.integrationSecrets.arn,
    handlerEntry: options.handlers?.trackerEvents,
  });
  const sources = new Sources(`${BASE}-sources`, {
    busArn: events.bus.arn,
    busName: events.bus.name,
    analyticsTable: { arn: metrics.analyticsTable.arn, name: metrics.analyticsTable.name },
    artifacts: { arn: storage.artifacts.bucket.arn, name: storage.artifacts.bucket.bucket },
    handlers: { webhook: options.handlers?.webhook, upload: options.handlers?.upload, email: options.handlers?.email },
    rateLimit: s.api.rateLimit,
    burstLimit: s.api.burstLimit,
    quotaPerDay: s.api.quotaPerDay,
    sesEnabled: settings.sesEnabled,
    activateMailRuleSet: settings.sesActivateRuleSet,
    apiLogging: settings.apiGatewayCloudWatchRole,
    mailRecipients: settings.mailRecipients,
    forceDestroy: disposable,
    trackerEvents,
    ...logs,
    ...lambdaTracing,
  });
  const operator = new OperatorApi(`${BASE}-operator`, { ...inVpc, handlerEntry: options.handlers?.operator });
  const storePull = new StorePull(`${BASE}-store-pull`, {
    ...inVpc,
    eventBusArn: eventBus.arn,
    production: settings.production,
    handlerEntry: options.handlers?.storePull,
  });
  const dashboard = settings.dashboard
    ? new Dashboard(`${BASE}-dashboard`, {
        domain: settings.dashboard.domain,
        hostedZoneId: settings.dashboard.hostedZoneId,
        oidc: settings.dashboard.oidc,
        oidcClientSecret: secrets.oidcClientSecret,
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        albSecurityGroupId: sg.alb.id,
        securityGroupId: sg.dashboard.id,
        clusterArn: worker.cluster.arn,
        clusterName: worker.cluster.name,
        image: settings.dashboardImage,
        appSecretArn: database.appSecret.arn,
        integrationSecretsArn: worker.integrationSecrets.arn,
        readReplica: Boolean(database.replica),
        tables,
        artifacts,
        eventBus,
        queue: { arn: queue.queue.arn, url: queue.queue.url },
        dlq: { arn: queue.dlq.arn, url: queue.dlq.url },
        dependsOn: [worker.migration.done],
        ...s.dashboard,
        production: settings.production,
        ...logs,
      })
    : undefined;

  const functions = [
    { key: "ingestion", fn: ingestion.fn },
    { key: "operator", fn: operator.fn },
    { key: "store-pull", fn: storePull.fn },
    { key: "tracker-events", fn: trackerEvents },
    ...sources.functions.map(({ kind, fn }) => ({ key: kind, fn })),
  ];
  new Observability(`${BASE}-observability`, {
    functions: functions.map((f) => ({ key: f.key, name: f.fn.function.name })),
    queueName: queue.queue.name,
    deadLetterQueues: [
      { key: "work-dlq", name: queue.dlq.name },
      { key: "events-dlq", name: events.targetDlq.name },
      { key: "upload-events-dlq", name: sources.uploadTargetDlq.name },
      ...functions.map((f) => ({ key: `${f.key}-dlq`, name: f.fn.dlq.name })),
    ],
    services: [
      { key: "worker", cluster: worker.cluster.name, service: worker.service.name },
      ...(dashboard ? [{ key: "dashboard", cluster: worker.cluster.name, service: dashboard.service.name }] : []),
    ],
    database: {
      identifier: database.instance.identifier,
      allocatedStorageGb: s.db.allocatedStorageGb,
      maxConnections: dbMaxConnections(s.db.instanceClass),
    },
    api: { name: sources.api.name, stage: sources.stage.stageName },
    distributionId: dashboard?.distribution.id,
    alarmEmail: settings.alarmEmail,
    backup: backup.metric,
    cloudTrail: settings.cloudTrailEnabled,
    guardDuty: settings.guardDutyEnabled,
    forceDestroy: disposable,
  });

  const outputs: Record<StackOutputName, pulumi.Input<string>> & Record<string, pulumi.Input<string>> = {
    region: aws.getRegionOutput().region,
    eventBusName: events.bus.name,
    queueUrl: queue.queue.url,
    dlqUrl: queue.dlq.url,
    metricsTableName: metrics.metricsTable.name,
    analyticsTableName: metrics.analyticsTable.name,
    artifactsBucketName: storage.artifacts.bucket.bucket,
    backupsBucketName: storage.backups.bucket.bucket,
    uploadsBucketName: sources.uploads.bucket.bucket,
    apiUrl: sources.stage.invokeUrl,
    dashboardUrl: dashboard?.url ?? "",
    databaseSecretArn: database.appSecret.arn,
    anthropicSecretArn: worker.anthropicSecret.arn,
    storeKeysSecretArn: storePull.keys.arn,
    integrationSecretsArn: worker.integrationSecrets.arn,
    clusterName: worker.cluster.name,
    workerServiceName: worker.service.name,
    operatorApiUrl: operator.url,
    // Attach to the operators' role or group (docs/operator-access.md).
    operatorPolicyArn: operator.operatorPolicy.arn,
    apiKeyId: sources.apiKey.id,
    webhookSecretsArn: sources.webhookSecrets.arn,
    // For the runbook (docs/runbook.md): restore, replay.
    databaseInstanceId: database.instance.identifier,
    backupScheduleName: backup.schedule.name,
    eventBusArn: events.bus.arn,
    eventArchiveArn: events.archive.arn,
    scale: settings.scale,
  };
  return outputs;
}
