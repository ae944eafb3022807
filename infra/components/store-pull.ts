import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName, settingEnv } from "../names.js";
import { schedulerRole } from "../policy-documents.js";
import { type BackendSettings, backendEnvironment } from "./backend-environment.js";
import { NodeFunction } from "./node-function.js";

export const STORE_PULL_HANDLER = "worker/handlers/store-pull-lambda.ts";
/** Every hour: Google Play lists only about a week of reviews, and a pull that finds nothing is one request per app. */
export const DEFAULT_PULL_SCHEDULE = "rate(1 hour)";

export interface StorePullArgs {
  /** Private subnets (with a NAT route to the stores' APIs) and a security group the database admits. */
  subnetIds: pulumi.Input<string>[];
  securityGroupId: pulumi.Input<string>;
  databaseSecretArn: pulumi.Input<string>;
  eventBusArn: pulumi.Input<string>;
  settings: BackendSettings;
  schedule?: string;
  production?: boolean;
  handlerEntry?: string;
  logRetentionDays?: number;
  tracingLayerArn?: string;
}

/**
 * Scheduled store pulls (docs/store-pulls.md): EventBridge Scheduler invokes the pull Lambda, which runs in the
 * private subnets beside RDS (the sources and their cursors are in the database) and publishes new reviews on the
 * bus like every other source. The keys of sources that name a variable are in the `keys` secret (JSON: variable
 * name -> key), set by the operator; the Lambda may read that secret and the database's, nothing else.
 */
export class StorePull extends pulumi.ComponentResource {
  readonly fn: NodeFunction;
  readonly keys: aws.secretsmanager.Secret;
  readonly schedule: aws.scheduler.Schedule;

  constructor(name: string, args: StorePullArgs, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:sources:StorePull", name, {}, opts);
    const parent = { parent: this };
    this.keys = new aws.secretsmanager.Secret(
      childName(name, "keys"),
      {
        description:
          "Store API keys for scheduled review pulls: JSON object, variable name -> .p8 PEM or service account JSON",
        recoveryWindowInDays: args.production ? 30 : 0,
      },
      parent,
    );
    this.fn = new NodeFunction(
      childName(name, "lambda"),
      {
        entry: args.handlerEntry ?? STORE_PULL_HANDLER,
        description: "Pulls new and edited reviews from App Store Connect and Google Play onto the bus",
        memorySize: 512,
        timeout: 300,
        // One pull at a time: two would read the same pages and race on the cursor.
        reservedConcurrency: 1,
        logRetentionDays: args.logRetentionDays,
        tracingLayerArn: args.tracingLayerArn,
        vpc: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
        environment: {
          ...backendEnvironment(args.databaseSecretArn, args.settings),
          [settingEnv("storeKeysSecretArn")]: this.keys.arn,
        },
        statements: [
          {
            Sid: "Secrets",
            Action: "secretsmanager:GetSecretValue",
            Resource: [args.databaseSecretArn, this.keys.arn],
          },
          { Sid: "PublishFeedback", Action: "events:PutEvents", Resource: args.eventBusArn },
        ],
      },
      parent,
    );
    const scheduler = schedulerRole(
      name,
      [{ Action: "lambda:InvokeFunction", Resource: this.fn.function.arn }],
      parent,
    );
    this.schedule = new aws.scheduler.Schedule(
      childName(name, "schedule"),
      {
        description: "Pulls the configured store sources' reviews",
        scheduleExpression: args.schedule ?? DEFAULT_PULL_SCHEDULE,
        flexibleTimeWindow: { mode: "FLEXIBLE", maximumWindowInMinutes: 10 },
        target: {
          arn: this.fn.function.arn,
          roleArn: scheduler.arn,
          // A failed run is resumed by the next one from the cursor; retrying it at once adds nothing.
          retryPolicy: { maximumRetryAttempts: 0 },
        },
      },
      parent,
    );
    this.registerOutputs({ keysSecretArn: this.keys.arn, scheduleName: this.schedule.name });
  }
}
