import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { childName, settingEnv } from "../names.js";
import {
  awsLogs,
  executionRole,
  fargateTaskDefinition,
  httpHealthCheck,
  serviceLogGroup,
  taskRole,
  traceCollector,
  tracingEnvironment,
} from "./ecs-common.js";
import { Migration } from "./migration.js";

export interface WorkerArgs {
  subnetIds: pulumi.Input<string>[];
  securityGroupId: pulumi.Input<string>;
  migrationSecurityGroupId: pulumi.Input<string>;
  queue: { arn: pulumi.Input<string>; url: pulumi.Input<string>; name: pulumi.Input<string> };
  dlqUrl: pulumi.Input<string>;
  /** Set for the backend's settings only: the worker never publishes to the bus, so its role may not. */
  eventBusName: pulumi.Input<string>;
  tables: {
    metricsArn: pulumi.Input<string>;
    metricsName: pulumi.Input<string>;
    analyticsArn: pulumi.Input<string>;
    analyticsName: pulumi.Input<string>;
  };
  artifacts: { arn: pulumi.Input<string>; name: pulumi.Input<string> };
  database: {
    host: pulumi.Input<string>;
    port: pulumi.Input<number>;
    appSecretArn: pulumi.Input<string>;
    masterSecretArn: pulumi.Input<string>;
    /** The analytics read replica's address, where the stack has one. */
    readerHost?: pulumi.Input<string>;
  };
  /** A pushed image to run; unset builds worker/Dockerfile into a new ECR repository (needs Docker). */
  image?: string;
  /** PostgreSQL's major version: the image built here gets a pg_dump of that major for the backup task. */
  postgresMajor?: string;
  anthropicApiKey?: pulumi.Input<string>;
  agents?: "offline" | "claude" | "hybrid";
  cpu?: number;
  memoryMb?: number;
  minTasks?: number;
  maxTasks?: number;
  cpuTarget?: number;
  backlogPerTask?: number;
  logRetentionDays?: number;
  production?: boolean;
}

export const WORKER_COMMAND = ["node", "dist/worker/main.js"];
export const WORKER_HEALTH_PORT = 8080;

/** The ECS cluster, the worker image, the migration step and the auto-scaled Fargate worker service. */
export class Worker extends pulumi.ComponentResource {
  readonly cluster: aws.ecs.Cluster;
  readonly service: aws.ecs.Service;
  readonly image: pulumi.Output<string>;
  readonly anthropicSecret: aws.secretsmanager.Secret;
  /** The integrations' secrets (JSON: variable name -> secret), read by env:NAME references before the environment. */
  readonly integrationSecrets: aws.secretsmanager.Secret;
  readonly migration: Migration;

  constructor(name: string, args: WorkerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:worker:Worker", name, {}, opts);
    const parent = { parent: this };
    const region = aws.getRegionOutput({}, parent).region;
    this.cluster = new aws.ecs.Cluster(
      childName(name, "cluster"),
      { settings: [{ name: "containerInsights", value: "enabled" }] },
      parent,
    );
    this.image = args.image ? pulumi.output(args.image) : this.buildImage(name, args.postgresMajor ?? "16");
    this.anthropicSecret = new aws.secretsmanager.Secret(
      childName(name, "anthropic-key"),
      {
        description: "Anthropic API key used by the Claude agent crew",
        recoveryWindowInDays: args.production ? 30 : 0,
      },
      parent,
    );
    // ECS refuses to start a task whose secret has no value, so the key is injected only once it is set.
    const hasAnthropicKey = Boolean(args.anthropicApiKey);
    if (args.anthropicApiKey) {
      new aws.secretsmanager.SecretVersion(
        childName(name, "anthropic-key-value"),
        { secretId: this.anthropicSecret.id, secretString: args.anthropicApiKey },
        parent,
      );
    }

    this.integrationSecrets = new aws.secretsmanager.Secret(
      childName(name, "integration-secrets"),
      {
        description:
          "Integration secrets (webhook signing secrets, tracker tokens, Slack webhook URLs): JSON object, variable name -> secret",
        recoveryWindowInDays: args.production ? 30 : 0,
      },
      parent,
    );
    // An empty object to start with, so the first read finds a value; the operator's later values are kept.
    new aws.secretsmanager.SecretVersion(
      childName(name, "integration-secrets-initial"),
      { secretId: this.integrationSecrets.id, secretString: "{}" },
      { ...parent, ignoreChanges: ["secretString"] },
    );

    this.migration = new Migration(
      childName(name, "migration"),
      {
        clusterArn: this.cluster.arn,
        clusterName: this.cluster.name,
        image: this.image,
        subnetIds: args.subnetIds,
        securityGroupId: args.migrationSecurityGroupId,
        dbHost: args.database.host,
        dbPort: args.database.port,
        readerHost: args.database.readerHost,
        masterSecretArn: args.database.masterSecretArn,
        appSecretArn: args.database.appSecretArn,
        region,
        logRetentionDays: args.logRetentionDays,
      },
      parent,
    );

    const secretArns = [args.database.appSecretArn, this.anthropicSecret.arn];
    const execRole = executionRole(name, this, secretArns);
    const role = taskRole(name, this, [
      {
        Sid: "WorkQueue",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
        Resource: args.queue.arn,
      },
      {
        Sid: "MetricsTables",
        Action: [
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:BatchWriteItem",
          "dynamodb:BatchGetItem",
          "dynamodb:Query",
        ],
        Resource: [args.tables.metricsArn, args.tables.analyticsArn],
      },
      {
        Sid: "Artifacts",
        // A large artifact goes up in parts; a failed multipart upload is aborted so no parts are left behind.
        Action: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
        Resource: pulumi.interpolate`${args.artifacts.arn}/*`,
      },
      { Sid: "ListArtifacts", Action: "s3:ListBucket", Resource: args.artifacts.arn },
      {
        Sid: "Secrets",
        Action: "secretsmanager:GetSecretValue",
        Resource: [...secretArns, this.integrationSecrets.arn],
      },
    ]);

    const logGroup = serviceLogGroup(name, this, args.logRetentionDays);
    const cpu = args.cpu ?? 2048;
    const taskDefinition = fargateTaskDefinition(name, this, {
      cpu,
      memoryMb: args.memoryMb ?? 4096,
      executionRoleArn: execRole.arn,
      taskRoleArn: role.arn,
      containers: [
        {
          name: "worker",
          image: this.image,
          essential: true,
          command: WORKER_COMMAND,
          portMappings: [{ containerPort: WORKER_HEALTH_PORT, protocol: "tcp" }],
          healthCheck: httpHealthCheck(WORKER_HEALTH_PORT),
          stopTimeout: 120,
          environment: [
            { name: "NODE_ENV", value: "production" },
            { name: "FEEDBACK_BACKEND", value: "aws" },
            { name: "FEEDBACK_TRIAGE_AGENTS", value: args.agents ?? "offline" },
            { name: "FEEDBACK_AGENT_THREAD", value: String(agentThreadFor(cpu)) },
            // The migration task owns the schema; the application role may not run DDL.
            { name: "FEEDBACK_MIGRATIONS", value: "skip" },
            { name: "PORT", value: String(WORKER_HEALTH_PORT) },
            ...tracingEnvironment("worker"),
            { name: settingEnv("region"), value: region },
            { name: settingEnv("queueUrl"), value: args.queue.url },
            { name: settingEnv("dlqUrl"), value: args.dlqUrl },
            { name: settingEnv("eventBusName"), value: args.eventBusName },
            { name: settingEnv("metricsTableName"), value: args.tables.metricsName },
            { name: settingEnv("analyticsTableName"), value: args.tables.analyticsName },
            { name: settingEnv("artifactsBucketName"), value: args.artifacts.name },
            { name: settingEnv("databaseSecretArn"), value: args.database.appSecretArn },
            { name: settingEnv("anthropicSecretArn"), value: this.anthropicSecret.arn },
            { name: settingEnv("integrationSecretsArn"), value: this.integrationSecrets.arn },
          ],
          secrets: [
            { name: "DATABASE_URL", valueFrom: pulumi.interpolate`${args.database.appSecretArn}:url::` },
            ...(hasAnthropicKey ? [{ name: "ANTHROPIC_API_KEY", valueFrom: this.anthropicSecret.arn }] : []),
          ],
          logConfiguration: awsLogs(logGroup, region, "worker"),
        },
        traceCollector(logGroup, region),
      ],
    });

    const minTasks = args.minTasks ?? 1;
    this.service = new aws.ecs.Service(
      childName(name, "service"),
      {
        cluster: this.cluster.arn,
        taskDefinition: taskDefinition.arn,
        desiredCount: minTasks,
        launchType: "FARGATE",
        networkConfiguration: {
          subnets: args.subnetIds,
          securityGroups: [args.securityGroupId],
          assignPublicIp: false,
        },
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        propagateTags: "SERVICE",
        enableEcsManagedTags: true,
      },
      // The schema first; auto scaling owns desiredCount once the service exists.
      { parent: this, dependsOn: [this.migration.done], ignoreChanges: ["desiredCount"] },
    );
    this.autoscale(name, args, minTasks);
    this.registerOutputs({ clusterName: this.cluster.name, serviceName: this.service.name });
  }

  private buildImage(name: string, postgresMajor: string): pulumi.Output<string> {
    const repository = new aws.ecr.Repository(
      childName(name, "repo"),
      { imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE", forceDelete: true },
      { parent: this },
    );
    const image = new awsx.ecr.Image(
      childName(name, "image"),
      {
        repositoryUrl: repository.repositoryUrl,
        context: ".",
        dockerfile: "worker/Dockerfile",
        platform: "linux/amd64",
        args: { POSTGRES_CLIENT_MAJOR: postgresMajor },
      },
      { parent: this },
    );
    return image.imageUri;
  }

  private autoscale(name: string, args: WorkerArgs, minTasks: number): void {
    const target = new aws.appautoscaling.Target(
      childName(name, "scaling-target"),
      {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: pulumi.interpolate`service/${this.cluster.name}/${this.service.name}`,
        minCapacity: minTasks,
        maxCapacity: args.maxTasks ?? 10,
      },
      { parent: this },
    );
    const tracking = (
      policy: string,
      configuration: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration,
    ) =>
      new aws.appautoscaling.Policy(
        childName(name, policy),
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          scalableDimension: target.scalableDimension,
          resourceId: target.resourceId,
          targetTrackingScalingPolicyConfiguration: { scaleInCooldown: 300, scaleOutCooldown: 60, ...configuration },
        },
        { parent: this },
      );
    tracking("cpu-scaling", {
      targetValue: args.cpuTarget ?? 70,
      predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
    });
    // Backlog per task: visible messages divided by running tasks, held at what one task clears in time.
    tracking("backlog-scaling", {
      targetValue: args.backlogPerTask ?? 100,
      customizedMetricSpecification: {
        metrics: [
          {
            id: "visible",
            returnData: false,
            metricStat: {
              stat: "Sum",
              metric: {
                namespace: "AWS/SQS",
                metricName: "ApproximateNumberOfMessagesVisible",
                dimensions: [{ name: "QueueName", value: args.queue.name }],
              },
            },
          },
          {
            id: "tasks",
            returnData: false,
            metricStat: {
              stat: "Average",
              metric: {
                namespace: "ECS/ContainerInsights",
                metricName: "RunningTaskCount",
                dimensions: [
                  { name: "ClusterName", value: this.cluster.name },
                  { name: "ServiceName", value: this.service.name },
                ],
              },
            },
          },
          { id: "backlogPerTask", label: "Messages per running task", expression: "visible / tasks", returnData: true },
        ],
      },
    });
  }
}

/**
 * Whether the task runs the offline crew in a worker thread: only with two vCPUs or more to run it beside the main
 * thread. Set explicitly because a container's CPU count (what the default reads) is the host's, not the task's.
 */
export function agentThreadFor(cpuUnits: number): boolean {
  return cpuUnits >= 2048;
}
