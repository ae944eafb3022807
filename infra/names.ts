import { type PassedSetting, SETTING_ENV } from "./product-contract.js";

/** Logical name of a component's child: the component's name, then what the child is. */
export function childName(parent: string, ...parts: string[]): string {
  return [parent, ...parts].join("-");
}

/** The stack outputs the SDK and the CLI read (`pulumi stack output --json > feedback-stack.json`). */
export const STACK_OUTPUTS = [
  "region",
  "eventBusName",
  "queueUrl",
  "dlqUrl",
  "metricsTableName",
  "analyticsTableName",
  "artifactsBucketName",
  "backupsBucketName",
  "uploadsBucketName",
  "apiUrl",
  "dashboardUrl",
  "databaseSecretArn",
  "anthropicSecretArn",
  "storeKeysSecretArn",
  "integrationSecretsArn",
  "clusterName",
  "workerServiceName",
  "operatorApiUrl",
] as const;

export type StackOutputName = (typeof STACK_OUTPUTS)[number];

/** The environment variable the SDK reads a setting from (sdk/aws/config.ts), e.g. FEEDBACK_QUEUE_URL. */
export function settingEnv(setting: PassedSetting): string {
  return SETTING_ENV[setting];
}
