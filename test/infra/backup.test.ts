import { beforeAll, describe, expect, it } from "vitest";
import { BACKUP_COMMAND, BACKUP_PREFIX, DatabaseBackup } from "../../infra/components/backup.js";
import { BACKUP_PREFIX as TASK_BACKUP_PREFIX } from "../../sdk/backups.js";
import { BACKUP_TASK_ENV } from "../../worker/tasks/backup-settings.js";
import { arn, DATABASE, PRIVATE_SUBNETS, SG } from "./support/fakes.js";
import { json, type Recording, recordProgram } from "./support/harness.js";
import { statementsOf } from "./support/iam.js";
import { recordStack } from "./support/stack.js";

const CLUSTER = arn("ecs", "cluster/feedback-worker-cluster");
const BUCKET = { arn: "arn:aws:s3:::feedback-storage-backups-bucket", name: "feedback-storage-backups-bucket" };
const IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/feedback-worker:abc";

describe("database backup (scheduled pg_dump to the backups bucket)", () => {
  let r: Recording;
  // biome-ignore lint/suspicious/noExplicitAny: parsed container definition
  let container: any;
  beforeAll(async () => {
    r = await recordProgram(
      () =>
        new DatabaseBackup("feedback-backup", {
          clusterArn: CLUSTER,
          image: IMAGE,
          subnetIds: PRIVATE_SUBNETS,
          securityGroupId: SG("worker"),
          appSecretArn: DATABASE.appSecretArn,
          bucket: BUCKET,
          region: "eu-west-1",
        }),
    );
    [container] = json(r.named("feedback-backup-task").inputs.containerDefinitions);
  });

  it("runs the backup entry point of the worker image as a small Fargate task", () => {
    expect(container.image).toBe(IMAGE);
    expect(container.command).toEqual(BACKUP_COMMAND);
    const task = r.named("feedback-backup-task").inputs;
    expect([task.cpu, task.memory, task.requiresCompatibilities]).toEqual(["512", "1024", ["FARGATE"]]);
  });

  it("gives the task every variable it reads, the database URL from the application secret", () => {
    const names = [...container.environment, ...container.secrets].map((e: { name: string }) => e.name);
    expect(names).toEqual(expect.arrayContaining(Object.values(BACKUP_TASK_ENV)));
    const env = Object.fromEntries(
      container.environment.map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(env.FEEDBACK_BACKUPS_BUCKET).toBe(BUCKET.name);
    expect(container.secrets).toEqual([{ name: "DATABASE_URL", valueFrom: `${DATABASE.appSecretArn}:url::` }]);
    expect(statementsOf(r, "feedback-backup-execution-secrets")).toEqual([
      { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [DATABASE.appSecretArn] },
    ]);
  });

  it("lets the task write dumps under postgres/ only: it cannot read, list or delete a backup", () => {
    expect(BACKUP_PREFIX).toBe(TASK_BACKUP_PREFIX);
    expect(statementsOf(r, "feedback-backup-task-policy")).toEqual([
      {
        Sid: "WriteDumps",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
        Resource: `${BUCKET.arn}/postgres/*`,
      },
    ]);
  });

  it("starts the task every night from EventBridge Scheduler in the private subnets, retrying a failed start", () => {
    const schedule = r.one("aws:scheduler/schedule:Schedule").inputs;
    expect(schedule.scheduleExpression).toBe("cron(15 3 * * ? *)");
    expect(schedule.scheduleExpressionTimezone).toBe("UTC");
    expect(schedule.target.arn).toBe(CLUSTER);
    expect(schedule.target.ecsParameters).toMatchObject({
      launchType: "FARGATE",
      taskCount: 1,
      taskDefinitionArn: expect.stringContaining("feedback-backup-task"),
      networkConfiguration: { subnets: PRIVATE_SUBNETS, securityGroups: [SG("worker")], assignPublicIp: false },
    });
    expect(schedule.target.retryPolicy.maximumRetryAttempts).toBeGreaterThan(0);
  });

  it("lets the scheduler run only this task family on this cluster and pass only the task's two roles", () => {
    const schedulerRole = r.named("feedback-backup-scheduler-role").inputs;
    expect(json(schedulerRole.assumeRolePolicy).Statement[0].Principal).toEqual({ Service: "scheduler.amazonaws.com" });
    const [runTask, passRole] = statementsOf(r, "feedback-backup-scheduler-policy");
    expect(runTask).toMatchObject({
      Action: "ecs:RunTask",
      Resource: expect.stringMatching(/feedback-backup-task.*:\*$/),
      Condition: { ArnEquals: { "ecs:cluster": CLUSTER } },
    });
    expect(passRole!.Action).toBe("iam:PassRole");
    expect([passRole!.Resource].flat()).toEqual([
      expect.stringMatching(/feedback-backup-execution-role$/),
      expect.stringMatching(/feedback-backup-task-role$/),
    ]);
  });
});

describe("database backup in the stack", () => {
  let stack: Recording;
  beforeAll(async () => {
    stack = await recordStack({ scale: "small" });
  });

  it("counts every stored dump and alarms on a day (UTC) without one, a task that never ran included", () => {
    const filter = stack.one("aws:cloudwatch/logMetricFilter:LogMetricFilter").inputs;
    expect(filter.pattern).toBe('{ $.msg = "backup stored" }');
    expect(filter.logGroupName).toMatch(/feedback-backup-logs/);
    const alarm = stack.named("feedback-observability-backup-missing").inputs;
    expect(alarm).toMatchObject({
      namespace: filter.metricTransformation.namespace,
      metricName: filter.metricTransformation.name,
      statistic: "Sum",
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      period: 86_400,
      treatMissingData: "breaching",
    });
  });

  it("writes to the backups bucket, whose lifecycle archives and then expires the dumps", () => {
    const [container] = json(stack.named("feedback-backup-task").inputs.containerDefinitions);
    const env = Object.fromEntries(
      container.environment.map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(env.FEEDBACK_BACKUPS_BUCKET).toBe(stack.outputs.backupsBucketName);
    expect(env.FEEDBACK_BACKUPS_BUCKET).toMatch(/feedback-storage-backups-bucket/);
    const lifecycle = stack.named("feedback-storage-backups-lifecycle").inputs.rules[0];
    expect(lifecycle.transitions).toEqual([{ days: 30, storageClass: "GLACIER" }]);
    expect(lifecycle.expiration).toEqual({ days: 365 });
  });

  it("builds the worker image with a pg_dump of the PostgreSQL major the stack deploys", async () => {
    const image = (r: Recording) => r.one("awsx:ecr:Image").inputs;
    expect(image(stack).args).toEqual({ POSTGRES_CLIENT_MAJOR: "16" });
    expect(image(await recordStack({ scale: "small", dbEngineVersion: "17.2" })).args).toEqual({
      POSTGRES_CLIENT_MAJOR: "17",
    });
  });

  it("runs the worker's image on the worker's cluster, in the group the database admits", () => {
    const [backup] = json(stack.named("feedback-backup-task").inputs.containerDefinitions);
    const [worker] = json(stack.named("feedback-worker-task").inputs.containerDefinitions);
    expect(backup.image).toBe(worker.image);
    const schedule = stack.named("feedback-backup-schedule").inputs;
    expect(schedule.target.arn).toMatch(/feedback-worker-cluster$/);
    expect(schedule.target.ecsParameters.networkConfiguration.securityGroups).toEqual([SG("worker")]);
  });
});
