import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { z } from "zod";
import { AWS_SETTINGS, AwsSettings, resolveAwsSettings } from "../aws/config.js";
import { DEFAULT_DATA_DIR_NAME } from "../db/data-dir.js";
import { ConfigurationError } from "../errors.js";
import { Secret } from "./secret.js";
import { LOG_LEVELS, parseVariables, SSL_MODES, VARIABLES, type VariableValues } from "./variables.js";

/** OTLP/HTTP's default: the collector beside the task, or the ADOT Lambda layer's. */
export const DEFAULT_OTLP_ENDPOINT = "http://127.0.0.1:4318";

/** The configuration's shape; `secret` is how a secret appears (a Secret in the process, a string when shown). */
function runtimeConfigShape<S extends z.ZodType>(secret: S) {
  return z.object({
    backend: z.object({
      /** aws: FEEDBACK_BACKEND=aws, or a stack outputs file; local: the embedded database or DATABASE_URL. */
      mode: z.enum(["local", "aws"]),
      databaseUrl: secret.nullable(),
      /** AWS mode: a read replica serving the aggregate reads (TicketInsights); null: the database itself. */
      databaseReaderUrl: secret.nullable(),
      /** The embedded database's folder, absolute. */
      dataDir: z.string(),
      /** Artifacts beside a PostgreSQL database (the embedded one keeps them in `<dataDir>/artifacts`). */
      artifactsDir: z.string().nullable(),
      migrations: z.enum(["apply", "skip"]),
      /** sslmode for a database URL read from Secrets Manager that does not name one. */
      databaseSslMode: z.enum(SSL_MODES),
    }),
    aws: z.object({
      /** The AWS resources, each from its variable or else the stack outputs file; unset ones are absent. */
      settings: AwsSettings,
      stackOutputsFile: z.string().nullable(),
      maxAttempts: z.number().int(),
      retryMode: z.enum(["standard", "adaptive"]),
    }),
    agents: z.object({
      /** Null: the stored `agents.mode`, else hybrid when an API key is set, offline otherwise (--agents wins). */
      mode: z.enum(["offline", "claude", "hybrid"]).nullable(),
      anthropicApiKey: secret.nullable(),
      anthropicBaseUrl: secret.nullable(),
      /** Null: the `agents` configuration's model. */
      claudeModel: z.string().nullable(),
      /** Null: the Claude crew's default. */
      claudeBatchSize: z.number().int().nullable(),
      redactPii: z.boolean(),
      /** The offline crew in a worker thread, so triage overlaps the database write (default: 2+ cores). */
      offlineThread: z.boolean(),
    }),
    webhooks: z.object({
      secrets: z.object({ zendesk: secret.nullable(), intercom: secret.nullable(), generic: secret.nullable() }),
      secretsArn: z.string().nullable(),
      /** Null: the webhook handler's default (256 KiB). */
      maxBodyBytes: z.number().int().nullable(),
    }),
    mail: z.object({ bucket: z.string().nullable(), prefix: z.string() }),
    dashboard: z.object({
      /** Where the dashboard's container entry listens; `feedback-cli dashboard` takes --host and --port. */
      host: z.string(),
      port: z.number().int(),
      auth: z.enum(["none", "alb"]),
      albArn: z.string().nullable(),
      albRegion: z.string().nullable(),
      evalDir: z.string().nullable(),
      /** Run the worker in the dashboard's process when it owns the embedded database. */
      worker: z.boolean(),
      /** Who changes tickets on a dashboard without login. */
      localUser: z.string(),
    }),
    worker: z.object({
      batchSize: z.number().int(),
      visibilityTimeoutSeconds: z.number().int(),
      waitTimeMs: z.number().int(),
      shutdownGraceMs: z.number().int(),
      healthPort: z.number().int(),
      healthHost: z.string(),
    }),
    tracing: z.object({
      /** Spans are exported (OTLP/HTTP to `endpoint`); off: no tracer is registered and spans cost nothing. */
      enabled: z.boolean(),
      /** The OTLP/HTTP base URL (spans go to `<endpoint>/v1/traces`). */
      endpoint: z.string(),
      /** Null: the entry point's own name. */
      serviceName: z.string().nullable(),
    }),
    log: z.object({ level: z.enum(LOG_LEVELS) }),
    cli: z.object({
      ci: z.boolean(),
      /** The editor `config edit` opens: VISUAL, else EDITOR; null: neither is set. */
      editor: z.string().nullable(),
    }),
  });
}

const RuntimeConfigSchema = runtimeConfigShape(z.custom<Secret>((value) => value instanceof Secret));
/** Every setting the product reads from its environment, parsed once per entry point. */
export type RuntimeConfig = z.infer<typeof RuntimeConfigSchema> & {
  /**
   * The environment as the entry point saw it, for credentials a user names by variable (a store source's
   * `--key-env`): read where such a credential is opened, never shown (it serialises to nothing).
   */
  readonly credentialEnv: CredentialEnv;
};
export type CredentialEnv = Readonly<Record<string, string | undefined>>;
export type BackendConfig = Pick<RuntimeConfig, "backend" | "aws">;
export type AwsConfig = RuntimeConfig["aws"];
export type AgentsConfig = RuntimeConfig["agents"];
export type WebhooksConfig = RuntimeConfig["webhooks"];
export type DashboardConfig = RuntimeConfig["dashboard"];
export type WorkerConfig = RuntimeConfig["worker"];
export type TracingConfig = RuntimeConfig["tracing"];
export type LogLevelSetting = RuntimeConfig["log"]["level"];

/** The configuration as `feedback-cli status --json` shows it: secrets redacted. */
export const RuntimeConfigJson = runtimeConfigShape(z.string());
export type RuntimeConfigJson = z.infer<typeof RuntimeConfigJson>;

/** Every variable `loadRuntimeConfig` reads (the README documents each). */
export const RUNTIME_VARIABLES: readonly string[] = [
  ...Object.keys(VARIABLES),
  ...Object.values(AWS_SETTINGS).map((s) => s.env),
  "AWS_DEFAULT_REGION",
];

export interface LoadOptions {
  /** What relative paths are resolved against; default the working directory. */
  cwd?: string;
}

/**
 * Parses the environment once into the typed configuration, applying the defaults. A bad value is a
 * ConfigurationError naming each variable at fault and what it should be; secrets are never echoed.
 */
export function loadRuntimeConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: LoadOptions = {},
): RuntimeConfig {
  const cwd = options.cwd ?? process.cwd();
  const parsed = parseVariables(env);
  if (!parsed.ok) {
    throw new ConfigurationError(`Invalid configuration: ${parsed.problems.map((p) => p.message).join("; ")}`, {
      hint: parsed.problems.map((p) => p.hint).join(" "),
    });
  }
  const v = parsed.values;
  const stackOutputsFile = v.FEEDBACK_STACK_OUTPUTS ? path.resolve(cwd, v.FEEDBACK_STACK_OUTPUTS) : null;
  const settings = resolveAwsSettings({ env, stackOutputsFile: stackOutputsFile ?? undefined, cwd });
  const mode = v.FEEDBACK_BACKEND
    ? v.FEEDBACK_BACKEND === "aws"
      ? "aws"
      : "local"
    : stackOutputsFile
      ? "aws"
      : "local";
  const secret = (value: string | undefined) => (value === undefined ? null : Secret.of(value));
  return {
    backend: {
      mode,
      databaseUrl: v.DATABASE_URL ? Secret.url(v.DATABASE_URL) : null,
      databaseReaderUrl: v.DATABASE_READER_URL ? Secret.url(v.DATABASE_READER_URL) : null,
      dataDir: path.resolve(cwd, v.FEEDBACK_DATA_DIR ?? DEFAULT_DATA_DIR_NAME),
      artifactsDir: v.FEEDBACK_ARTIFACTS_DIR ? path.resolve(cwd, v.FEEDBACK_ARTIFACTS_DIR) : null,
      migrations: v.FEEDBACK_MIGRATIONS ?? "apply",
      databaseSslMode: v.FEEDBACK_DATABASE_SSLMODE ?? "no-verify",
    },
    aws: {
      settings,
      stackOutputsFile,
      maxAttempts: v.AWS_MAX_ATTEMPTS ?? 5,
      retryMode: v.AWS_RETRY_MODE ?? "adaptive",
    },
    agents: {
      mode: v.FEEDBACK_TRIAGE_AGENTS ?? null,
      anthropicApiKey: secret(v.ANTHROPIC_API_KEY),
      anthropicBaseUrl: v.ANTHROPIC_BASE_URL ? Secret.url(v.ANTHROPIC_BASE_URL) : null,
      claudeModel: v.CLAUDE_MODEL ?? null,
      claudeBatchSize: v.CLAUDE_BATCH_SIZE ?? null,
      redactPii: v.CLAUDE_REDACT_PII ?? true,
      offlineThread: v.FEEDBACK_AGENT_THREAD ?? os.availableParallelism() > 1,
    },
    webhooks: {
      secrets: {
        zendesk: secret(v.FEEDBACK_WEBHOOK_SECRET_ZENDESK),
        intercom: secret(v.FEEDBACK_WEBHOOK_SECRET_INTERCOM),
        generic: secret(v.FEEDBACK_WEBHOOK_SECRET_GENERIC),
      },
      secretsArn: v.FEEDBACK_WEBHOOK_SECRETS_ARN ?? null,
      maxBodyBytes: v.FEEDBACK_WEBHOOK_MAX_BYTES ?? null,
    },
    mail: {
      bucket: v.FEEDBACK_MAIL_BUCKET ?? settings.uploadsBucketName ?? null,
      prefix: v.FEEDBACK_MAIL_PREFIX ?? "mail/",
    },
    dashboard: dashboardConfig(v, mode, settings),
    worker: {
      batchSize: v.FEEDBACK_WORKER_BATCH_SIZE ?? 10,
      visibilityTimeoutSeconds: v.FEEDBACK_VISIBILITY_TIMEOUT ?? 300,
      waitTimeMs: v.FEEDBACK_WORKER_WAIT_MS ?? 20_000,
      shutdownGraceMs: v.FEEDBACK_SHUTDOWN_GRACE_MS ?? 90_000,
      healthPort: v.FEEDBACK_HEALTH_PORT ?? v.PORT ?? 8080,
      healthHost: v.FEEDBACK_HEALTH_HOST ?? "0.0.0.0",
    },
    tracing: {
      enabled: v.FEEDBACK_TRACING ?? v.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined,
      endpoint: v.OTEL_EXPORTER_OTLP_ENDPOINT ?? DEFAULT_OTLP_ENDPOINT,
      serviceName: v.OTEL_SERVICE_NAME ?? null,
    },
    log: { level: v.FEEDBACK_LOG_LEVEL ?? "info" },
    cli: { ci: v.CI !== undefined, editor: v.VISUAL ?? v.EDITOR ?? null },
    credentialEnv: credentialEnvironment(env),
  };
}

/** A frozen copy of `env` that JSON (`status`, the logs) leaves out and the console shows as a placeholder. */
function credentialEnvironment(env: Readonly<Record<string, string | undefined>>): CredentialEnv {
  const copy = { ...env };
  Object.defineProperty(copy, "toJSON", { value: () => undefined, enumerable: false });
  Object.defineProperty(copy, inspect.custom, { value: () => "[environment]", enumerable: false });
  return Object.freeze(copy);
}

function dashboardConfig(v: VariableValues, mode: "local" | "aws", settings: AwsSettings): DashboardConfig {
  return {
    host: v.HOST ?? "0.0.0.0",
    port: v.PORT ?? 3000,
    auth: v.DASHBOARD_AUTH ?? (mode === "aws" ? "alb" : "none"),
    albArn: v.DASHBOARD_ALB_ARN ?? null,
    albRegion: v.DASHBOARD_ALB_REGION ?? settings.region ?? null,
    evalDir: v.DASHBOARD_EVAL_DIR ?? null,
    worker: v.DASHBOARD_WORKER ?? true,
    localUser: v.USER ?? v.USERNAME ?? v.LOGNAME ?? "operator",
  };
}

/** The configuration as it may be shown (status, logs): every secret redacted. */
export function showRuntimeConfig(config: RuntimeConfig): RuntimeConfigJson {
  return RuntimeConfigJson.parse(JSON.parse(JSON.stringify(config)));
}
