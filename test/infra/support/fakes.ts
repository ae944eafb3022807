// Inputs for testing one component on its own: what the neighbouring components would hand it.
const ARN = "arn:aws:%s:eu-west-1:123456789012:%s";
export const arn = (service: string, name: string) => ARN.replace("%s", service).replace("%s", name);

export const QUEUE = {
  arn: arn("sqs", "feedback-queue-main"),
  url: "https://sqs.eu-west-1.amazonaws.com/123456789012/feedback-queue-main",
  name: "feedback-queue-main",
};
export const DLQ = {
  arn: arn("sqs", "feedback-queue-dlq"),
  url: "https://sqs.eu-west-1.amazonaws.com/123456789012/feedback-queue-dlq",
};
export const TABLES = {
  metricsArn: arn("dynamodb", "feedback-metrics-metrics"),
  metricsName: "feedback-metrics-metrics",
  analyticsArn: arn("dynamodb", "feedback-metrics-analytics"),
  analyticsName: "feedback-metrics-analytics",
};
export const EVENT_BUS = { arn: arn("events", "event-bus/feedback-events-bus"), name: "feedback-events-bus" };
export const ARTIFACTS = {
  arn: "arn:aws:s3:::feedback-storage-artifacts-bucket",
  name: "feedback-storage-artifacts-bucket",
};
export const PRIVATE_SUBNETS = ["feedback-network-private-0-id", "feedback-network-private-1-id"];
export const PUBLIC_SUBNETS = ["feedback-network-public-0-id", "feedback-network-public-1-id"];
export const SG = (part: string) => `feedback-network-${part}-sg-id`;
export const DATABASE = {
  host: "feedback-database-postgres.abc.eu-west-1.rds.amazonaws.com",
  port: 5432,
  appSecretArn: arn("secretsmanager", "feedback-database-app-credentials"),
  masterSecretArn: arn("secretsmanager", "secret:rds!feedback-database-postgres"),
};
