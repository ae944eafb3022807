import type * as pulumi from "@pulumi/pulumi";
import { settingEnv } from "../names.js";
import type { NodeFunctionArgs } from "./node-function.js";

/** What an AWS-mode backend needs besides the database (sdk/aws/config.ts BACKEND_SETTINGS). */
export interface BackendSettings {
  eventBusName: pulumi.Input<string>;
  queueUrl: pulumi.Input<string>;
  dlqUrl: pulumi.Input<string>;
  metricsTableName: pulumi.Input<string>;
  analyticsTableName: pulumi.Input<string>;
  artifactsBucketName: pulumi.Input<string>;
}

/** A Lambda in the private subnets that opens the stack's whole backend (operator API, tracker webhooks). */
export interface InVpcBackendArgs {
  /** Private subnets and a security group the database admits (the worker's). */
  subnetIds: pulumi.Input<string>[];
  securityGroupId: pulumi.Input<string>;
  /** The application role's database secret (JSON with `url`). */
  databaseSecretArn: pulumi.Input<string>;
  settings: BackendSettings;
  handlerEntry?: string;
  logRetentionDays?: number;
  tracingLayerArn?: string;
}

/** The environment of a Lambda that opens the stack's whole backend from inside the VPC. */
export function backendEnvironment(
  databaseSecretArn: pulumi.Input<string>,
  s: BackendSettings,
): Record<string, pulumi.Input<string>> {
  return {
    FEEDBACK_BACKEND: "aws",
    // The migration task owns the schema; the application role may not run DDL.
    FEEDBACK_MIGRATIONS: "skip",
    [settingEnv("databaseSecretArn")]: databaseSecretArn,
    [settingEnv("eventBusName")]: s.eventBusName,
    [settingEnv("queueUrl")]: s.queueUrl,
    [settingEnv("dlqUrl")]: s.dlqUrl,
    [settingEnv("metricsTableName")]: s.metricsTableName,
    [settingEnv("analyticsTableName")]: s.analyticsTableName,
    [settingEnv("artifactsBucketName")]: s.artifactsBucketName,
  };
}

/** What a NodeFunction of `args` shares with every Lambda that opens the backend from the VPC: network, database secret, settings. */
export function inVpcBackendFunction(args: InVpcBackendArgs): Omit<NodeFunctionArgs, "entry"> {
  return {
    logRetentionDays: args.logRetentionDays,
    tracingLayerArn: args.tracingLayerArn,
    vpc: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
    environment: backendEnvironment(args.databaseSecretArn, args.settings),
    statements: [{ Sid: "DatabaseSecret", Action: "secretsmanager:GetSecretValue", Resource: args.databaseSecretArn }],
  };
}
