import type { AwsConfig } from "../config/runtime.js";
import { ConfigurationError } from "../errors.js";
import { createAwsClients } from "./clients.js";
import { SecretReader } from "./secrets.js";

/** Looks a variable name up in a secret store; undefined when the store does not hold it. */
export type SecretStoreLookup = (name: string) => Promise<string | undefined>;

/**
 * The integrations' secret in Secrets Manager: a JSON object from variable name to secret (a webhook's "whsec_…",
 * a tracker's token, a Slack incoming-webhook URL). Read through `reader`, which caches it for 5 minutes: a
 * rotated value is picked up within that, without a restart.
 */
export function secretsManagerLookup(reader: SecretReader, secretArn: string): SecretStoreLookup {
  return async (name) => {
    const values = parseSecretJson(await reader.read(secretArn), secretArn);
    const value = values[name];
    return typeof value === "string" ? value : undefined;
  };
}

function parseSecretJson(raw: string, secretArn: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // explained below
  }
  throw new ConfigurationError(`Secret ${secretArn} is not a JSON object of variable names to secrets`, {
    hint: 'Store it as {"TEAM_HOOK_SECRET": "whsec_...", "SLACK_ONCALL_URL": "https://hooks.slack.com/..."}.',
  });
}

/** The lookup over the configured secret (FEEDBACK_INTEGRATION_SECRETS_ARN or the stack output), if any. */
export function integrationSecretStore(aws: AwsConfig): SecretStoreLookup | undefined {
  const arn = aws.settings.integrationSecretsArn;
  return arn ? secretsManagerLookup(new SecretReader(createAwsClients(aws).secrets), arn) : undefined;
}
