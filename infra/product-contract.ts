// Values infra shares with the product it deploys. infra/ imports none of the product's code (it bundles it as
// assets), so it keeps its own copy of each; test/infra/product-contract.test.ts checks them against the product's.

/** The environment variable the SDK reads each AWS setting from (sdk/aws/config.ts), for the settings infra passes. */
export const SETTING_ENV = {
  region: "AWS_REGION",
  eventBusName: "FEEDBACK_EVENT_BUS",
  queueUrl: "FEEDBACK_QUEUE_URL",
  dlqUrl: "FEEDBACK_DLQ_URL",
  metricsTableName: "FEEDBACK_METRICS_TABLE",
  analyticsTableName: "FEEDBACK_ANALYTICS_TABLE",
  artifactsBucketName: "FEEDBACK_ARTIFACTS_BUCKET",
  uploadsBucketName: "FEEDBACK_UPLOADS_BUCKET",
  backupsBucketName: "FEEDBACK_BACKUPS_BUCKET",
  databaseSecretArn: "FEEDBACK_DATABASE_SECRET_ARN",
  anthropicSecretArn: "FEEDBACK_ANTHROPIC_SECRET_ARN",
  storeKeysSecretArn: "FEEDBACK_STORE_KEYS_SECRET_ARN",
  integrationSecretsArn: "FEEDBACK_INTEGRATION_SECRETS_ARN",
} as const;

export type PassedSetting = keyof typeof SETTING_ENV;

/** The detail-type of every feedback event the publishers put on the bus (sdk/schemas/events.ts). */
export const FEEDBACK_RECEIVED_DETAIL_TYPE = "FeedbackReceived";

/** The feedback source types (sdk/schemas/feedback.ts); publishers set an event's source to `feedback.<type>`. */
export const FEEDBACK_SOURCE_TYPES = ["app_store_review", "email", "webhook"] as const;

/** What the backup task logs (`msg`) once a dump is stored (sdk/backups.ts); the backup's metric filter counts it. */
export const BACKUP_STORED_MESSAGE = "backup stored";
