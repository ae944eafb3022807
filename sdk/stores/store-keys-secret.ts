import { z } from "zod";
import { ConfigurationError } from "../errors.js";

const StoreKeys = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string());

/**
 * The store keys secret of a deployed stack: a JSON object from variable name to key (a .p8's PEM, a service
 * account's JSON as a string), read as the environment of the sources that name a variable (`--key-env`).
 */
export function storeKeysFromSecret(raw: string, secretId: string): Record<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = null;
  }
  const parsed = StoreKeys.safeParse(json);
  if (!parsed.success) {
    throw new ConfigurationError(`Secret ${secretId} is not a JSON object of variable names to keys`, {
      hint: 'Store it as {"ASC_KEY": "-----BEGIN PRIVATE KEY-----\\n...", "PLAY_SERVICE_ACCOUNT": "{...}"}.',
    });
  }
  return parsed.data;
}
