import path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { REPO_ROOT } from "../bundle.js";
import { childName } from "../names.js";
import { APP_USERNAME, DATABASE_NAME } from "./database.js";
import { awsLogs, executionRole, fargateTaskDefinition, serviceLogGroup } from "./ecs-common.js";
import { NodeFunction } from "./node-function.js";

export interface MigrationArgs {
  clusterArn: pulumi.Input<string>;
  clusterName: pulumi.Input<string>;
  image: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  securityGroupId: pulumi.Input<string>;
  dbHost: pulumi.Input<string>;
  dbPort: pulumi.Input<number>;
  /** The read replica's address: the runner adds its URL (`readerUrl`) to the application role's secret. */
  readerHost?: pulumi.Input<string>;
  masterSecretArn: pulumi.Input<string>;
  appSecretArn: pulumi.Input<string>;
  region: pulumi.Input<string>;
  logRetentionDays?: number;
}

export const MIGRATION_COMMAND = ["node", "dist/worker/tasks/migrate.js"];
const CONTAINER = "migrate";

/**
 * The one-off migration task (the worker image running the migration runner) and the deployment step
 * that runs it: an aws.lambda.Invocation calls a small runner that starts the task and waits for it,
 * so everything that depends on `done` is only updated after the schema is.
 */
export class Migration extends pulumi.ComponentResource {
  readonly taskDefinition: aws.ecs.TaskDefinition;
  readonly done: aws.lambda.Invocation;

  constructor(name: string, args: MigrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:worker:Migration", name, {}, opts);
    const parent = { parent: this };
    const logGroup = serviceLogGroup(name, this, args.logRetentionDays);
    const execRole = executionRole(name, this, [args.masterSecretArn, args.appSecretArn]);
    this.taskDefinition = fargateTaskDefinition(name, this, {
      cpu: 512,
      memoryMb: 1024,
      executionRoleArn: execRole.arn,
      containers: [
        {
          name: CONTAINER,
          image: args.image,
          essential: true,
          command: MIGRATION_COMMAND,
          environment: [
            { name: "DB_HOST", value: args.dbHost },
            { name: "DB_PORT", value: pulumi.output(args.dbPort).apply(String) },
            { name: "DB_NAME", value: DATABASE_NAME },
            { name: "APP_DB_USERNAME", value: APP_USERNAME },
          ],
          secrets: [
            { name: "DB_MASTER_USERNAME", valueFrom: pulumi.interpolate`${args.masterSecretArn}:username::` },
            { name: "DB_MASTER_PASSWORD", valueFrom: pulumi.interpolate`${args.masterSecretArn}:password::` },
            { name: "APP_DB_PASSWORD", valueFrom: pulumi.interpolate`${args.appSecretArn}:password::` },
          ],
          logConfiguration: awsLogs(logGroup, args.region, "migrate"),
        },
      ],
    });
    const taskFamilyArn = this.taskDefinition.arn.apply((arn) => arn.replace(/:\d+$/, ":*"));
    const runner = new NodeFunction(
      childName(name, "runner"),
      {
        entry: "infra/lambdas/run-migration.mjs",
        code: new pulumi.asset.AssetArchive({
          "index.mjs": new pulumi.asset.FileAsset(path.join(REPO_ROOT, "infra/lambdas/run-migration.mjs")),
        }),
        description: "Runs the database migration task during deployment and waits for it",
        memorySize: 256,
        timeout: 900,
        logRetentionDays: args.logRetentionDays,
        statements: [
          { Action: "ecs:RunTask", Resource: taskFamilyArn },
          { Action: "ecs:DescribeTasks", Resource: "*", Condition: { ArnEquals: { "ecs:cluster": args.clusterArn } } },
          { Action: "iam:PassRole", Resource: execRole.arn },
          { Action: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"], Resource: args.appSecretArn },
          // GetRandomPassword has no resource to scope to.
          { Action: "secretsmanager:GetRandomPassword", Resource: "*" },
        ],
      },
      parent,
    );
    this.done = new aws.lambda.Invocation(
      childName(name, "run"),
      {
        functionName: runner.function.name,
        input: pulumi.jsonStringify({
          cluster: args.clusterName,
          taskDefinition: this.taskDefinition.arn,
          container: CONTAINER,
          subnets: args.subnetIds,
          securityGroups: [args.securityGroupId],
          appSecretArn: args.appSecretArn,
          appUsername: APP_USERNAME,
          host: args.dbHost,
          port: args.dbPort,
          ...(args.readerHost ? { readerHost: args.readerHost } : {}),
          database: DATABASE_NAME,
        }),
        // A new image or task definition runs the migrations again.
        triggers: { taskDefinition: this.taskDefinition.arn, image: pulumi.output(args.image) },
      },
      parent,
    );
    this.registerOutputs({ taskDefinitionArn: this.taskDefinition.arn });
  }
}
