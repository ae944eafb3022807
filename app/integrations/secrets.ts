import { readFile } from "node:fs/promises";
import type { SecretStoreLookup } from "../../sdk/aws/integration-secrets.js";
import type { AwsConfig } from "../../sdk/config/runtime.js";
import { ConfigurationError } from "../../sdk/errors.js";

/** Reads a secret from where a reference points; the secret is never logged, errors name only the reference. */
export type SecretResolver = (ref: string) => Promise<string>;

/**
 * References read here: "env:NAME" (from `store`, a secret store such as Secrets Manager on AWS, first when one is given, then a variable of `env`, the entry
 * point's parsed environment) or "file:/path" (a file's trimmed content).
 */
export function secretResolver(
  env: Readonly<Record<string, string | undefined>>,
  store?: SecretStoreLookup,
): SecretResolver {
  return (ref) => resolveSecret(ref, env, store);
}

export async function resolveSecret(
  ref: string,
  env: Readonly<Record<string, string | undefined>>,
  store?: SecretStoreLookup,
): Promise<string> {
  const [scheme, ...rest] = ref.split(":");
  const target = rest.join(":");
  const value =
    scheme === "env"
      ? ((await store?.(target)) ?? env[target])
      : scheme === "file"
        ? await readFile(target, "utf8").catch(() => undefined)
        : undefined;
  if (!value?.trim()) {
    throw new ConfigurationError(`No secret at ${ref}`, {
      hint: 'Point the destination at "env:NAME" or "file:/path" holding its secret (a webhook\'s "whsec_<base64>").',
    });
  }
  return value.trim();
}

/**
 * The secret store the entry point is configured with: the integrations' Secrets Manager secret
 * (FEEDBACK_INTEGRATION_SECRETS_ARN, or the stack output), loaded only when set; none otherwise.
 */
export async function integrationSecretStore(aws: AwsConfig): Promise<SecretStoreLookup | undefined> {
  if (!aws.settings.integrationSecretsArn) return undefined;
  const { integrationSecretStore: secretsManagerStore } = await import("../../sdk/aws/integration-secrets.js");
  return secretsManagerStore(aws);
}
