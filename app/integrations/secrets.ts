import { readFile } from "node:fs/promises";
import { ConfigurationError } from "../../sdk/errors.js";

/**
 * A destination's signing secret from where its reference points: "env:NAME" (an environment variable) or
 * "file:/path" (a file's trimmed content). The secret is never logged; errors name only the reference.
 */
export async function resolveSecret(ref: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const [scheme, ...rest] = ref.split(":");
  const target = rest.join(":");
  const value =
    scheme === "env"
      ? env[target]
      : scheme === "file"
        ? await readFile(target, "utf8").catch(() => undefined)
        : undefined;
  if (!value?.trim()) {
    throw new ConfigurationError(`No webhook signing secret at ${ref}`, {
      hint: 'Point the destination at "env:NAME" or "file:/path" holding a "whsec_<base64>" secret.',
    });
  }
  return value.trim();
}
