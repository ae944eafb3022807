import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ConfigurationError } from "../errors.js";

/**
 * Where each AWS setting comes from: an environment variable (wins) or an output of the Pulumi stack
 * (`pulumi stack output --json > feedback-stack.json`, named by FEEDBACK_STACK_OUTPUTS).
 */
export const AWS_SETTINGS = {
  region: { env: "AWS_REGION", output: "region", what: "the AWS region" },
  eventBusName: { env: "FEEDBACK_EVENT_BUS", output: "eventBusName", what: "the EventBridge bus name" },
  queueUrl: { env: "FEEDBACK_QUEUE_URL", output: "queueUrl", what: "the SQS processing queue URL" },
  dlqUrl: { env: "FEEDBACK_DLQ_URL", output: "dlqUrl", what: "the SQS dead-letter queue URL" },
  metricsTableName: { env: "FEEDBACK_METRICS_TABLE", output: "metricsTableName", what: "the DynamoDB metrics table" },
  analyticsTableName: {
    env: "FEEDBACK_ANALYTICS_TABLE",
    output: "analyticsTableName",
    what: "the DynamoDB analytics table",
  },
  artifactsBucketName: {
    env: "FEEDBACK_ARTIFACTS_BUCKET",
    output: "artifactsBucketName",
    what: "the S3 artifacts bucket",
  },
  uploadsBucketName: { env: "FEEDBACK_UPLOADS_BUCKET", output: "uploadsBucketName", what: "the S3 uploads bucket" },
  backupsBucketName: { env: "FEEDBACK_BACKUPS_BUCKET", output: "backupsBucketName", what: "the S3 backups bucket" },
  databaseSecretArn: {
    env: "FEEDBACK_DATABASE_SECRET_ARN",
    output: "databaseSecretArn",
    what: "the database secret's ARN",
  },
  anthropicSecretArn: {
    env: "FEEDBACK_ANTHROPIC_SECRET_ARN",
    output: "anthropicSecretArn",
    what: "the Anthropic API key secret's ARN",
  },
  storeKeysSecretArn: {
    env: "FEEDBACK_STORE_KEYS_SECRET_ARN",
    output: "storeKeysSecretArn",
    what: "the store API keys secret's ARN (JSON: variable name -> key, for store sources that name a variable)",
  },
  integrationSecretsArn: {
    env: "FEEDBACK_INTEGRATION_SECRETS_ARN",
    output: "integrationSecretsArn",
    what: "the integrations' secret's ARN (JSON: variable name -> secret, read first by env:NAME references)",
  },
  apiUrl: { env: "FEEDBACK_API_URL", output: "apiUrl", what: "the webhook API URL" },
  dashboardUrl: { env: "FEEDBACK_DASHBOARD_URL", output: "dashboardUrl", what: "the dashboard URL" },
  operatorApiUrl: {
    env: "FEEDBACK_OPERATOR_API_URL",
    output: "operatorApiUrl",
    what: "the operator API URL (IAM-signed access to the tickets from outside the VPC)",
  },
} as const;
export type AwsSettingKey = keyof typeof AWS_SETTINGS;

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "is not an AWS region such as eu-west-1");
const sqsUrl = z.url({
  protocol: /^https?$/,
  error: "is not an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)",
});
const name = z.string().min(1, "is empty");
const arn = z.string().regex(/^arn:aws[a-z-]*:secretsmanager:/, "is not a Secrets Manager ARN");
const url = z.url({ error: "is not a URL" });

/** Every setting, validated; all optional here: each use says which it needs (`requireAwsSettings`). */
export const AwsSettings = z.object({
  region: region.optional(),
  eventBusName: name.optional(),
  queueUrl: sqsUrl.optional(),
  dlqUrl: sqsUrl.optional(),
  metricsTableName: name.optional(),
  analyticsTableName: name.optional(),
  artifactsBucketName: name.optional(),
  uploadsBucketName: name.optional(),
  backupsBucketName: name.optional(),
  databaseSecretArn: arn.optional(),
  anthropicSecretArn: arn.optional(),
  storeKeysSecretArn: arn.optional(),
  integrationSecretsArn: arn.optional(),
  apiUrl: url.optional(),
  dashboardUrl: url.optional(),
  operatorApiUrl: z.url({ protocol: /^https?$/, error: "is not an http(s) URL" }).optional(),
});
export type AwsSettings = z.infer<typeof AwsSettings>;

/** What a full Backend needs (the database URL comes from DATABASE_URL or databaseSecretArn). */
export const BACKEND_SETTINGS = [
  "region",
  "eventBusName",
  "queueUrl",
  "dlqUrl",
  "metricsTableName",
  "analyticsTableName",
  "artifactsBucketName",
] as const satisfies readonly AwsSettingKey[];

const StackOutputs = z.record(z.string(), z.unknown());

/** Reads `pulumi stack output --json`; values Pulumi hides as "[secret]" count as missing. */
export function readStackOutputs(file: string, cwd = process.cwd()): Record<string, string> {
  const resolved = path.resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(resolved, "utf8");
  } catch (error) {
    throw new ConfigurationError(`Cannot read the stack outputs file ${resolved}: ${(error as Error).message}`, {
      cause: error,
      hint: "Write it with `pulumi stack output --json > feedback-stack.json` in the infra project, or unset FEEDBACK_STACK_OUTPUTS.",
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`The stack outputs file ${resolved} is not JSON`, {
      cause: error,
      hint: "Write it again with `pulumi stack output --json > feedback-stack.json`.",
    });
  }
  const outputs = StackOutputs.safeParse(parsed);
  if (!outputs.success) {
    throw new ConfigurationError(`The stack outputs file ${resolved} is not a JSON object of outputs`, {
      hint: "Write it again with `pulumi stack output --json > feedback-stack.json`.",
    });
  }
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(outputs.data)) {
    if (typeof value === "string" && value !== "[secret]" && value.length > 0) strings[key] = value;
  }
  return strings;
}

export interface ResolveOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** The stack outputs file (FEEDBACK_STACK_OUTPUTS), if any. */
  stackOutputsFile?: string;
  cwd?: string;
}

/**
 * Environment variables over stack outputs; validated (a malformed value is an error naming its source).
 * Called by loadRuntimeConfig (sdk/config/runtime.ts), which the entry points call once.
 */
export function resolveAwsSettings(options: ResolveOptions): AwsSettings {
  const env = options.env;
  const file = options.stackOutputsFile;
  const outputs = file ? readStackOutputs(file, options.cwd) : {};
  const raw: Record<string, string> = {};
  const sources: Record<string, string> = {};
  for (const [key, meta] of Object.entries(AWS_SETTINGS)) {
    const fromEnv = env[meta.env] || (key === "region" ? env.AWS_DEFAULT_REGION : undefined);
    if (fromEnv) {
      raw[key] = fromEnv.trim();
      sources[key] = meta.env;
    } else if (outputs[meta.output]) {
      raw[key] = outputs[meta.output]!.trim();
      sources[key] = `stack output "${meta.output}" in ${file}`;
    }
  }
  const parsed = AwsSettings.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      return `${key} from ${sources[key] ?? "?"} ("${raw[key]}") ${issue.message}`;
    });
    throw new ConfigurationError(`Invalid AWS configuration: ${problems.join("; ")}`, {
      hint: "Fix the variable, or write the stack outputs again with `pulumi stack output --json > feedback-stack.json`.",
    });
  }
  return parsed.data;
}

/** The settings `keys` with their values, or a ConfigurationError naming each missing one and how to set it. */
export function requireAwsSettings<K extends AwsSettingKey>(
  settings: AwsSettings,
  keys: readonly K[],
): Required<Pick<AwsSettings, K>> {
  const missing = keys.filter((key) => !settings[key]);
  if (missing.length > 0) {
    const list = missing.map(
      (key) =>
        `${AWS_SETTINGS[key].what} (set ${AWS_SETTINGS[key].env}, or stack output "${AWS_SETTINGS[key].output}")`,
    );
    throw new ConfigurationError(`AWS mode is missing ${list.join("; ")}`, {
      hint: "Point FEEDBACK_STACK_OUTPUTS at the file from `pulumi stack output --json > feedback-stack.json`, or set the variables named.",
    });
  }
  return settings as Required<Pick<AwsSettings, K>>;
}
