import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AwsConfig } from "../config/runtime.js";

/** One client per service; every adapter takes its client, so tests inject mocked ones. */
export interface AwsClients {
  sqs: SQSClient;
  eventBridge: EventBridgeClient;
  dynamo: DynamoDBDocumentClient;
  s3: S3Client;
  secrets: SecretsManagerClient;
}

/**
 * The SDK's own retry strategy handles throttling and transient failures of whole calls: by default
 * adaptive mode (client-side rate limiting when throttled) with 5 attempts (AWS_RETRY_MODE, AWS_MAX_ATTEMPTS).
 */
export function clientConfig(aws: Pick<AwsConfig, "settings" | "maxAttempts" | "retryMode">) {
  return {
    ...(aws.settings.region ? { region: aws.settings.region } : {}),
    maxAttempts: aws.maxAttempts,
    retryMode: aws.retryMode,
  };
}

export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function createAwsClients(
  aws: Pick<AwsConfig, "settings" | "maxAttempts" | "retryMode">,
  overrides: Partial<AwsClients> = {},
): AwsClients {
  const config = clientConfig(aws);
  return {
    sqs: overrides.sqs ?? new SQSClient(config),
    eventBridge: overrides.eventBridge ?? new EventBridgeClient(config),
    dynamo: overrides.dynamo ?? createDocumentClient(new DynamoDBClient(config)),
    s3: overrides.s3 ?? new S3Client(config),
    secrets: overrides.secrets ?? new SecretsManagerClient(config),
  };
}

export function destroyAwsClients(clients: AwsClients): void {
  for (const client of [clients.sqs, clients.eventBridge, clients.dynamo, clients.s3, clients.secrets])
    client.destroy();
}
