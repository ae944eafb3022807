import { ConfigurationError } from "../errors.js";
import type { ReviewConnector } from "../ports/store-reviews.js";
import type { StoreSource } from "../schemas/store-source.js";
import { AppStoreConnectReviews } from "./app-store-connect.js";
import { readCredential } from "./credentials.js";
import { GooglePlayReviews, ServiceAccountKey } from "./google-play.js";
import type { StoreHttpOptions } from "./store-http.js";

export interface ConnectorOptions extends StoreHttpOptions {
  /** Where credentials named by environment variable are read (the entry point's environment). */
  env: Readonly<Record<string, string | undefined>>;
}

/** The connector of a configured source, its credentials read where the source names them. */
export async function openConnector(source: StoreSource, options: ConnectorOptions): Promise<ReviewConnector> {
  const { env, ...http } = options;
  if (source.kind === "app-store-connect") {
    const privateKey = await readCredential(source.privateKey, `.p8 key of source '${source.name}'`, env);
    return new AppStoreConnectReviews(source, { privateKey }, http);
  }
  const text = await readCredential(source.serviceAccount, `service account key of source '${source.name}'`, env);
  return new GooglePlayReviews(source, parseServiceAccount(text, source.name), http);
}

function parseServiceAccount(text: string, name: string): ServiceAccountKey {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const parsed = ServiceAccountKey.safeParse(json);
  if (!parsed.success) {
    throw new ConfigurationError(`The service account key of source '${name}' is not a service account JSON key`, {
      hint: "Download a JSON key for the service account (Google Cloud > IAM > Service accounts > Keys).",
    });
  }
  return parsed.data;
}
