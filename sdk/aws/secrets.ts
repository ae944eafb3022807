import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ConfigurationError } from "../errors.js";
import { callAws } from "./errors.js";

/**
 * Reads a secret's string value (GetSecretValue). Values are cached per client and ARN for `ttlMs`
 * (default 5 minutes), so a warm Lambda or a CLI call does not fetch it again, while a rotation is
 * picked up within minutes.
 */
export class SecretReader {
  private readonly cache = new Map<string, { value: Promise<string>; at: number }>();

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  read(secretId: string): Promise<string> {
    const cached = this.cache.get(secretId);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.value;
    const value = callAws(`Secrets Manager GetSecretValue ${secretId}`, () =>
      this.client.send(new GetSecretValueCommand({ SecretId: secretId })),
    ).then((response) => {
      if (response.SecretString !== undefined) return response.SecretString;
      if (response.SecretBinary) return Buffer.from(response.SecretBinary).toString("utf8");
      throw new ConfigurationError(`Secret ${secretId} has no value`, { hint: "Set its value in Secrets Manager." });
    });
    this.cache.set(secretId, { value, at: Date.now() });
    value.catch(() => this.cache.delete(secretId));
    return value;
  }
}

export interface DatabaseUrlOptions {
  /** sslmode added when the secret does not say; default "no-verify" (TLS without certificate check). */
  sslMode?: string;
}

/**
 * The PostgreSQL URL in a Secrets Manager secret: a plain `postgres://` URL, JSON with `url` /
 * `DATABASE_URL`, or the JSON RDS writes for a managed master secret (`username`, `password`, `host`,
 * `port`, `dbname`). Credentials are URL-encoded. Without an sslmode in the secret, `options.sslMode`
 * is added (RDS for PostgreSQL 15+ requires TLS by default).
 */
export async function resolveDatabaseUrl(
  secrets: SecretReader,
  secretId: string,
  options: DatabaseUrlOptions = {},
): Promise<string> {
  const raw = (await secrets.read(secretId)).trim();
  const url = databaseUrlFromSecret(raw, secretId);
  const parsed = new URL(url);
  if (!parsed.searchParams.has("sslmode") && !parsed.searchParams.has("ssl")) {
    parsed.searchParams.set("sslmode", options.sslMode ?? "no-verify");
  }
  return parsed.toString();
}

export function databaseUrlFromSecret(raw: string, secretId: string): string {
  if (/^postgres(ql)?:\/\//.test(raw)) return raw;
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(raw) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigurationError(`Secret ${secretId} is neither a postgres:// URL nor JSON`, {
      cause: error,
      hint: 'Store the URL itself, or JSON like {"username":...,"password":...,"host":...,"port":5432,"dbname":...}.',
    });
  }
  const direct = value.url ?? value.DATABASE_URL ?? value.databaseUrl;
  if (typeof direct === "string" && /^postgres(ql)?:\/\//.test(direct)) return direct;
  const { username, password, host } = value;
  if (typeof username !== "string" || typeof password !== "string" || typeof host !== "string") {
    throw new ConfigurationError(
      `Secret ${secretId} lacks ${["username", "password", "host"].filter((k) => typeof value[k] !== "string").join(", ")}`,
      {
        hint: 'Store JSON like {"username":...,"password":...,"host":...,"port":5432,"dbname":...}, or a postgres:// URL.',
      },
    );
  }
  const port = value.port === undefined ? 5432 : Number(value.port);
  const database =
    typeof value.dbname === "string" ? value.dbname : typeof value.database === "string" ? value.database : "postgres";
  return `postgres://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(database)}`;
}
