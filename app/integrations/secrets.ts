import { readFile } from "node:fs/promises";
import { ConfigurationError } from "../../sdk/errors.js";

/** Reads a secret from where a reference points; the secret is never logged, errors name only the reference. */
export type SecretResolver = (ref: string) => Promise<string>;

/**
 * References read here: "env:NAME" (a variable of `env`, the entry point's parsed environment) or "file:/path"
 * (a file's trimmed content).
 */
export function secretResolver(env: Readonly<Record<string, string | undefined>>): SecretResolver {
  return (ref) => resolveSecret(ref, env);
}

export async function resolveSecret(ref: string, env: Readonly<Record<string, string | undefined>>): Promise<string> {
  const [scheme, ...rest] = ref.split(":");
  const target = rest.join(":");
  const value =
    scheme === "env"
      ? env[target]
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
