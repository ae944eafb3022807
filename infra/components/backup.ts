import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName, settingEnv } from "../names.js";
import { schedulerRole } from "../policy-documents.js";
import { BACKUP_STORED_MESSAGE } from "../product-contract.js";
import { awsLogs, executionRole, fargateTaskDefinition, serviceLogGroup, taskRole } from "./ecs-common.js";

export interface DatabaseBackupArgs {
  clusterArn: pulumi.Input<string>;
  /** The worker image: it holds the backup entry point and pg_dump (worker/Dockerfile). */
  image: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  /** A group allowed to reach PostgreSQL (the worker's: outbound 5432 to the database and 443, nothing inbound). */
  securityGroupId: pulumi.Input<string>;
  /** The application role's secret; its `url` key is the connection string pg_dump uses. */
  appSecretArn: pulumi.Input<string>;
  /** The backups bucket (its lifecycle archives dumps to Glacier after 30 days and deletes them after a year). */
  bucket: { arn: pulumi.Input<string>; name: pulumi.Input<string> };
  region: pulumi.Input<string>;
  /** EventBridge Scheduler expression; default every day at 03:15 UTC. */
  schedule?: string;
  logRetentionDays?: number;
}

export const BACKUP_COMMAND = ["node", "dist/worker/tasks/backup.js"];
/** Where the dumps go in the bucket (sdk/backups.ts BACKUP_PREFIX). */
export const BACKUP_PREFIX = "postgres/";
export const DEFAULT_BACKUP_SCHEDULE = "cron(15 3 * * ? *)";
export const BACKUPS_STORED_METRIC = "BackupsStored";
const CONTAINER = "backup";

/**
 * The nightly logical backup: EventBridge Scheduler starts a Fargate task from the worker image in the private
 * subnets, which streams `pg_dump --format=custom` to the backups bucket (worker/tasks/backup.ts). RDS's automated
 * snapshots stay for point-in-time restores; the dump is the copy that outlives the instance, is replicated with
 * the bucket and can be restored anywhere (docs/runbook.md, section 1b).
 */
export class DatabaseBackup extends pulumi.ComponentResource {
  readonly taskDefinition: aws.ecs.TaskDefinition;
  readonly schedule: aws.scheduler.Schedule;
  readonly logGroup: aws.cloudwatch.LogGroup;
  /** Counts stored dumps (one per night): Observability alarms on a day without one. */
  readonly metric: { namespace: string; metricName: string };

  constructor(name: string, args: DatabaseBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:backup:DatabaseBackup", name, {}, opts);
    const parent = { parent: this };
    this.logGroup = serviceLogGroup(name, this, args.logRetentionDays);
    const execRole = executionRole(name, this, [args.appSecretArn]);
    // Writes dumps, nothing else: no read, list or delete, so a compromised task cannot take the backups away.
    const role = taskRole(
      name,
      this,
      [
        {
          Sid: "WriteDumps",
          // A dump goes up in parts; a failed upload is aborted so no parts are left behind.
          Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
          Resource: pulumi.interpolate`${args.bucket.arn}/${BACKUP_PREFIX}*`,
        },
      ],
      false,
    );
    this.taskDefinition = fargateTaskDefinition(name, this, {
      cpu: 512,
      memoryMb: 1024,
      executionRoleArn: execRole.arn,
      taskRoleArn: role.arn,
      containers: [
        {
          name: CONTAINER,
          image: args.image,
          essential: true,
          command: BACKUP_COMMAND,
          environment: [
            { name: "NODE_ENV", value: "production" },
            { name: settingEnv("region"), value: args.region },
            { name: settingEnv("backupsBucketName"), value: args.bucket.name },
          ],
          secrets: [{ name: "DATABASE_URL", valueFrom: pulumi.interpolate`${args.appSecretArn}:url::` }],
          logConfiguration: awsLogs(this.logGroup, args.region, "backup"),
        },
      ],
    });

    const scheduler = schedulerRole(
      name,
      [
        {
          Action: "ecs:RunTask",
          Resource: this.taskDefinition.arn.apply((arn) => arn.replace(/:\d+$/, ":*")),
          Condition: { ArnEquals: { "ecs:cluster": args.clusterArn } },
        },
        { Action: "iam:PassRole", Resource: [execRole.arn, role.arn] },
      ],
      parent,
    );
    this.schedule = new aws.scheduler.Schedule(
      childName(name, "schedule"),
      {
        description: "Nightly pg_dump of the feedback database to the backups bucket",
        scheduleExpression: args.schedule ?? DEFAULT_BACKUP_SCHEDULE,
        scheduleExpressionTimezone: "UTC",
        flexibleTimeWindow: { mode: "FLEXIBLE", maximumWindowInMinutes: 30 },
        target: {
          arn: args.clusterArn,
          roleArn: scheduler.arn,
          ecsParameters: {
            taskDefinitionArn: this.taskDefinition.arn,
            launchType: "FARGATE",
            taskCount: 1,
            networkConfiguration: {
              subnets: args.subnetIds,
              securityGroups: [args.securityGroupId],
              assignPublicIp: false,
            },
          },
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
        },
      },
      parent,
    );
    const namespace = `feedback-triage/${pulumi.getStack()}`;
    new aws.cloudwatch.LogMetricFilter(
      childName(name, "stored"),
      {
        logGroupName: this.logGroup.name,
        pattern: `{ $.msg = "${BACKUP_STORED_MESSAGE}" }`,
        metricTransformation: { namespace, name: BACKUPS_STORED_METRIC, value: "1", unit: "Count" },
      },
      parent,
    );
    this.metric = { namespace, metricName: BACKUPS_STORED_METRIC };
    this.registerOutputs({ taskDefinitionArn: this.taskDefinition.arn, scheduleName: this.schedule.name });
  }
}
