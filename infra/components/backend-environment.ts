import type * as pulumi from "@pulumi/pulumi";
import { settingEnv } from "../names.js";

/** What an AWS-mode backend needs besides the database (sdk/aws/config.ts BACKEND_SETTINGS). */
export interface BackendSettings {
  eventBusName: pulumi.Input<string>;
  queueUrl: pulumi.Input<string>;
  dlqUrl: pulumi.Input<string>;
  metricsTableName: pulumi.Input<string>;
  analyticsTableName: pulumi.Input<string>;
  artifactsBucketName: pulumi.Input<string>;
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
