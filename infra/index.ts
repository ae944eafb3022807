// The Pulumi program's entry point (Pulumi.yaml `main`), and the only file that reads pulumi.Config.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS, parseSettings, SECRET_KEYS } from "./config.js";
import { createStack } from "./stack.js";

const config = new pulumi.Config();
const settings = parseSettings(Object.fromEntries(CONFIG_KEYS.map((key) => [key, config.get(key)])));
const [anthropicApiKey, oidcClientSecret] = SECRET_KEYS.map((key) => config.getSecret(key));

const outputs = createStack(settings, { anthropicApiKey, oidcClientSecret });

export const region = outputs.region;
export const eventBusName = outputs.eventBusName;
export const queueUrl = outputs.queueUrl;
export const dlqUrl = outputs.dlqUrl;
export const metricsTableName = outputs.metricsTableName;
export const analyticsTableName = outputs.analyticsTableName;
export const artifactsBucketName = outputs.artifactsBucketName;
export const backupsBucketName = outputs.backupsBucketName;
export const uploadsBucketName = outputs.uploadsBucketName;
export const apiUrl = outputs.apiUrl;
export const apiKeyId = outputs.apiKeyId;
export const webhookSecretsArn = outputs.webhookSecretsArn;
export const databaseInstanceId = outputs.databaseInstanceId;
export const backupScheduleName = outputs.backupScheduleName;
export const eventBusArn = outputs.eventBusArn;
export const eventArchiveArn = outputs.eventArchiveArn;
export const dashboardUrl = outputs.dashboardUrl;
export const databaseSecretArn = outputs.databaseSecretArn;
export const anthropicSecretArn = outputs.anthropicSecretArn;
export const storeKeysSecretArn = outputs.storeKeysSecretArn;
export const integrationSecretsArn = outputs.integrationSecretsArn;
export const clusterName = outputs.clusterName;
export const workerServiceName = outputs.workerServiceName;
export const operatorApiUrl = outputs.operatorApiUrl;
export const operatorPolicyArn = outputs.operatorPolicyArn;
export const scale = settings.scale;
