import { z } from "zod";

/**
 * The environment variables the product reads, each with the schema its value must pass and what a good
 * value is (the hint of the error that names it). The AWS resource settings (AWS_REGION, FEEDBACK_QUEUE_URL,
 * ...), which may also come from a stack outputs file, are listed in sdk/aws/config.ts (AWS_SETTINGS).
 */
interface Variable<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  /** Completes "Set NAME to ..., or unset it". */
  readonly expected: string;
  /** Never echoed in an error, shown as "***" in the configuration. */
  readonly secret?: boolean;
  /** An empty value counts as a value; for every other variable it counts as unset. */
  readonly keepEmpty?: boolean;
}

function variable<S extends z.ZodType>(
  schema: S,
  expected: string,
  flags: { secret?: boolean; keepEmpty?: boolean } = {},
): Variable<S> {
  return { schema, expected, ...flags };
}

const text = z.string().trim();

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(values, { error: `is not one of ${values.join(", ")}` }));
}

function wholeNumber(min: number, max: number) {
  const error = `is not a whole number from ${min} to ${max.toLocaleString("en-US")}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, error)
    .transform(Number)
    .refine((n) => n >= min && n <= max, error);
}

const TRUE = ["true", "1", "yes", "on"] as const;
const FALSE = ["false", "0", "no", "off"] as const;
const yesNo = oneOf([...TRUE, ...FALSE]).transform((v) => (TRUE as readonly string[]).includes(v));

const url = (protocols: RegExp, error: string) => text.pipe(z.url({ protocol: protocols, error }));
const region = text.regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "is not an AWS region such as eu-west-1");

export const SSL_MODES = ["disable", "prefer", "require", "no-verify", "verify-ca", "verify-full"] as const;
export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
const PORT = "a port number, 0-65535";

export const VARIABLES = {
  // Backend and database
  FEEDBACK_BACKEND: variable(
    oneOf(["aws", "local", "embedded", "postgres"]),
    "aws for a deployed stack, or local (also embedded, postgres) for this machine",
  ),
  FEEDBACK_STACK_OUTPUTS: variable(text, "the file written by `pulumi stack output --json > feedback-stack.json`"),
  DATABASE_URL: variable(
    url(/^postgres(ql)?$/, "is not a PostgreSQL URL"),
    "a URL such as postgres://user:password@host:5432/feedback",
    { secret: true },
  ),
  DATABASE_READER_URL: variable(
    url(/^postgres(ql)?$/, "is not a PostgreSQL URL"),
    "a read replica's URL, for the aggregate reads (overview, analytics, usage); default DATABASE_URL's database",
    { secret: true },
  ),
  FEEDBACK_DATA_DIR: variable(text, "the embedded database's folder (default ./.feedback-triage)"),
  FEEDBACK_ARTIFACTS_DIR: variable(text, "a folder for artifacts"),
  FEEDBACK_MIGRATIONS: variable(oneOf(["apply", "skip"]), "skip (a migration task owns the schema) or apply"),
  FEEDBACK_DATABASE_SSLMODE: variable(oneOf(SSL_MODES), `one of ${SSL_MODES.join(", ")} (default no-verify)`),
  AWS_MAX_ATTEMPTS: variable(wholeNumber(1, 20), "the attempts per AWS call, 1-20 (default 5)"),
  AWS_RETRY_MODE: variable(oneOf(["standard", "adaptive"]), "standard or adaptive (default adaptive)"),
  // Agents
  FEEDBACK_TRIAGE_AGENTS: variable(oneOf(["offline", "claude", "hybrid"]), "offline, claude or hybrid"),
  ANTHROPIC_API_KEY: variable(text, "an Anthropic API key", { secret: true }),
  ANTHROPIC_BASE_URL: variable(url(/^https?$/, "is not an http(s) URL"), "the http(s) URL of an Anthropic API proxy", {
    secret: true,
  }),
  CLAUDE_MODEL: variable(text, "a Claude model id such as claude-haiku-4-5"),
  CLAUDE_BATCH_SIZE: variable(wholeNumber(1, 50), "the items per request, 1-50 (default 15)"),
  CLAUDE_REDACT_PII: variable(yesNo, "true or false (default true)"),
  FEEDBACK_AGENT_THREAD: variable(
    yesNo,
    "true or false (default true on 2+ cores): the offline crew in a worker thread",
  ),
  // Webhooks and mail
  FEEDBACK_WEBHOOK_SECRET_ZENDESK: variable(z.string(), "Zendesk's signing secret", { secret: true }),
  FEEDBACK_WEBHOOK_SECRET_INTERCOM: variable(z.string(), "the Intercom app's client secret", { secret: true }),
  FEEDBACK_WEBHOOK_SECRET_GENERIC: variable(z.string(), "the generic sender's shared secret", { secret: true }),
  FEEDBACK_WEBHOOK_SECRETS_ARN: variable(
    text.regex(/^arn:aws[a-z-]*:secretsmanager:/, "is not a Secrets Manager ARN"),
    "the ARN of the secret holding the webhook secrets",
  ),
  FEEDBACK_WEBHOOK_MAX_BYTES: variable(wholeNumber(1, 10 * 1024 * 1024), "a body size limit in bytes (default 262144)"),
  FEEDBACK_MAIL_BUCKET: variable(text, "the S3 bucket SES stores mail in (default the uploads bucket)"),
  FEEDBACK_MAIL_PREFIX: variable(z.string(), 'the key prefix SES stores mail under (default "mail/")', {
    keepEmpty: true,
  }),
  // Dashboard
  HOST: variable(text, "the address to listen on (default 0.0.0.0)"),
  PORT: variable(wholeNumber(0, 65_535), PORT),
  DASHBOARD_AUTH: variable(oneOf(["none", "alb"]), "alb (behind a load balancer that signs users in) or none"),
  DASHBOARD_ALB_ARN: variable(
    text.regex(/^arn:aws[a-z-]*:elasticloadbalancing:/, "is not a load balancer ARN"),
    "the ARN of the load balancer that signs the identity tokens",
  ),
  DASHBOARD_ALB_REGION: variable(region, "the load balancer's region, such as eu-west-1"),
  DASHBOARD_EVAL_DIR: variable(text, "the folder the Quality page may read labels from"),
  DASHBOARD_WORKER: variable(yesNo, "true or false (default true): run the worker in the dashboard's process"),
  USER: variable(text, "your user name"),
  USERNAME: variable(text, "your user name"),
  LOGNAME: variable(text, "your user name"),
  // Worker
  FEEDBACK_WORKER_BATCH_SIZE: variable(wholeNumber(1, 1000), "the messages per receive, 1-1000 (default 10)"),
  FEEDBACK_VISIBILITY_TIMEOUT: variable(wholeNumber(1, 43_200), "seconds, 1-43200 (default 300)"),
  FEEDBACK_WORKER_WAIT_MS: variable(wholeNumber(1, 600_000), "milliseconds, 1-600000 (default 20000)"),
  FEEDBACK_SHUTDOWN_GRACE_MS: variable(wholeNumber(1, 3_600_000), "milliseconds, 1-3600000 (default 90000)"),
  FEEDBACK_HEALTH_PORT: variable(wholeNumber(0, 65_535), PORT),
  FEEDBACK_HEALTH_HOST: variable(text, "the address the health check listens on (default 0.0.0.0)"),
  // Tracing
  FEEDBACK_TRACING: variable(yesNo, "true or false (default true when OTEL_EXPORTER_OTLP_ENDPOINT is set)"),
  OTEL_EXPORTER_OTLP_ENDPOINT: variable(
    url(/^https?$/, "is not an http(s) URL"),
    "the OTLP/HTTP collector's base URL (default http://127.0.0.1:4318)",
  ),
  OTEL_SERVICE_NAME: variable(text, "the service name spans carry (default the entry point's, e.g. worker)"),
  // Everywhere
  FEEDBACK_LOG_LEVEL: variable(oneOf(LOG_LEVELS), `one of ${LOG_LEVELS.join(", ")} (default info)`),
  CI: variable(z.string(), "any value on a CI runner"),
  VISUAL: variable(text, "the command that opens your editor, e.g. 'code --wait' (feedback-cli config edit)"),
  EDITOR: variable(text, "the command that opens your editor, e.g. nano or vi (feedback-cli config edit)"),
} as const;

export type VariableName = keyof typeof VARIABLES;
export type VariableValues = { [K in VariableName]: z.output<(typeof VARIABLES)[K]["schema"]> | undefined };
export interface VariableProblem {
  name: VariableName;
  message: string;
  hint: string;
}

/** Each variable's value, parsed; or every problem, each naming its variable and what it should be. */
export function parseVariables(
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; values: VariableValues } | { ok: false; problems: VariableProblem[] } {
  const values: Record<string, unknown> = {};
  const problems: VariableProblem[] = [];
  for (const [name, spec] of Object.entries(VARIABLES) as [VariableName, Variable][]) {
    const raw = env[name];
    if (raw === undefined || (!spec.keepEmpty && raw.trim() === "")) continue;
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) {
      values[name] = parsed.data;
      continue;
    }
    const shown = spec.secret ? "(value hidden)" : JSON.stringify(raw);
    problems.push({
      name,
      message: `${name} ${shown} ${parsed.error.issues[0]?.message ?? "is not valid"}`,
      hint: `Set ${name} to ${spec.expected}, or unset it.`,
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values: values as VariableValues };
}
