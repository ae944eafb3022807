import { FeedbackTriageError, NotFoundError, ValidationError } from "../../sdk/errors.js";
import type { StoreSourceRepository } from "../../sdk/ports/store-reviews.js";
import { type CredentialRef, StoreSource } from "../../sdk/schemas/store-source.js";
import { type ConnectorOptions, openConnector } from "../../sdk/stores/connectors.js";
import type { SourceTest, SourceView } from "./source-views.js";

export interface AddSourceInput {
  name: string;
  store: string;
  app: string;
  keyFile?: string;
  keyEnv?: string;
  issuerId?: string;
  keyId?: string;
  baseUrl?: string;
  tokenUrl?: string;
}

/** `sources add`: checks the flags against the store's source schema and saves it (its cursor kept on a change). */
export async function addSource(sources: StoreSourceRepository, input: AddSourceInput): Promise<SourceView> {
  const credential = credentialOf(input);
  const candidate =
    input.store === "google-play"
      ? { ...common(input), kind: input.store, serviceAccount: credential, tokenUrl: input.tokenUrl }
      : { ...common(input), kind: input.store, privateKey: credential, issuerId: input.issuerId, keyId: input.keyId };
  const parsed = StoreSource.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(`Invalid source: ${issue.path.join(".") || "store"}: ${issue.message}`, {
      hint: "App Store Connect needs --app <app id> --issuer-id --key-id --key-file|--key-env; Google Play needs --app <package> --key-file|--key-env (the service account JSON).",
    });
  }
  await sources.save(parsed.data);
  return (await listSources(sources)).find((view) => view.name === parsed.data.name)!;
}

export async function listSources(sources: StoreSourceRepository): Promise<SourceView[]> {
  return (await sources.list()).map(({ source, cursor, lastPull }) => ({
    name: source.name,
    store: source.kind,
    app: source.app,
    credentials: describeCredential(source.kind === "google-play" ? source.serviceAccount : source.privateKey),
    watermark: cursor.watermark,
    resuming: cursor.resume !== null,
    lastPull,
  }));
}

export async function removeSource(sources: StoreSourceRepository, name: string): Promise<void> {
  if (!(await sources.remove(name))) throw new NotFoundError(`No store source '${name}'`, { hint: LIST_HINT });
}

/** `sources test`: reads the credentials and the first page of reviews; nothing is published or saved. */
export async function testSource(
  sources: StoreSourceRepository,
  name: string,
  options: ConnectorOptions,
): Promise<SourceTest> {
  const state = await sources.get(name);
  if (!state) throw new NotFoundError(`No store source '${name}'`, { hint: LIST_HINT });
  try {
    const page = await (await openConnector(state.source, options)).page(null);
    return { name, ok: true, reviews: page.reviews.length + page.rejected.length, error: null };
  } catch (error) {
    if (!(error instanceof FeedbackTriageError)) throw error;
    return {
      name,
      ok: false,
      reviews: null,
      error: { code: error.code, message: error.message, hint: error.hint ?? null },
    };
  }
}

const LIST_HINT = "List the configured sources with 'feedback-cli sources list'.";

function common(input: AddSourceInput) {
  return { name: input.name, app: input.app, baseUrl: input.baseUrl };
}

function credentialOf(input: AddSourceInput): CredentialRef {
  if ((input.keyFile === undefined) === (input.keyEnv === undefined)) {
    throw new ValidationError("Name the key with exactly one of --key-file <path> and --key-env <NAME>", {
      hint: "The key itself is never stored: the file or the environment variable is read at each pull.",
    });
  }
  return input.keyFile !== undefined ? { file: input.keyFile } : { env: input.keyEnv! };
}

function describeCredential(ref: CredentialRef): string {
  return "file" in ref ? `file ${ref.file}` : `env ${ref.env}`;
}
