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
  "clusterName",
  "workerServiceName",
] as const;

export type StackOutputName = (typeof STACK_OUTPUTS)[number];

/** Environment variable carrying a stack output to a process: eventBusName -> FEEDBACK_EVENT_BUS_NAME. */
export function outputEnvName(output: StackOutputName): string {
  if (output === "region") return "AWS_REGION";
  return `FEEDBACK_${output.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}`;
}
