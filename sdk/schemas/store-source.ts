import { z } from "zod";

export const STORE_KINDS = ["app-store-connect", "google-play"] as const;
export const StoreKind = z.enum(STORE_KINDS);
export type StoreKind = z.infer<typeof StoreKind>;

/** Where a secret is read at pull time: a file path or an environment variable's name, never the secret itself. */
export const CredentialRef = z.union([
  z.object({ file: z.string().min(1) }).strict(),
  z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) }).strict(),
]);
export type CredentialRef = z.infer<typeof CredentialRef>;

const SourceName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, "use lower-case letters, digits, '.', '_' and '-' (at most 63)");

export const AppStoreConnectSource = z.object({
  name: SourceName,
  kind: z.literal("app-store-connect"),
  /** The App Store Connect app id (the `apps` resource id). */
  app: z.string().regex(/^\d+$/, "the App Store Connect app id is numeric"),
  issuerId: z.string().min(1),
  keyId: z.string().min(1),
  /** The team's .p8 private key (PKCS#8 PEM). */
  privateKey: CredentialRef,
  baseUrl: z.url().optional(),
});

export const GooglePlaySource = z.object({
  name: SourceName,
  kind: z.literal("google-play"),
  /** The app's package name. */
  app: z.string().regex(/^[A-Za-z][\w]*(\.[A-Za-z][\w]*)+$/, "a package name such as com.acme.notes"),
  /** The service account's JSON key file (client_email, private_key, token_uri). */
  serviceAccount: CredentialRef,
  baseUrl: z.url().optional(),
  tokenUrl: z.url().optional(),
});

export const StoreSource = z.discriminatedUnion("kind", [AppStoreConnectSource, GooglePlaySource]);
export type StoreSource = z.infer<typeof StoreSource>;
export type AppStoreConnectSource = z.infer<typeof AppStoreConnectSource>;
export type GooglePlaySource = z.infer<typeof GooglePlaySource>;

/**
 * Where the next pull of one source starts. Stores list newest first: `watermark` is the newest change time a
 * finished pull saw (the next pull stops below it) and `seen` the reviews changed at that very time (so one written
 * in the same second after the pull is still read, and those already read are not published again); `resume` is
 * the page a pull stopped before, so a crashed pull carries on there, with the newest time it had seen so far.
 */
export const PullCursor = z.object({
  watermark: z.iso.datetime({ offset: true }).nullable(),
  seen: z.array(z.string()).default([]),
  resume: z
    .object({
      page: z.string().min(1),
      newest: z.iso.datetime({ offset: true }).nullable(),
      seen: z.array(z.string()).default([]),
    })
    .nullable(),
});
export type PullCursor = z.infer<typeof PullCursor>;

export const EMPTY_CURSOR: PullCursor = { watermark: null, seen: [], resume: null };

/** What the last pull of a source did, as kept beside its cursor. */
export const LastPull = z.object({
  at: z.iso.datetime({ offset: true }),
  enqueued: z.number().int().nonnegative(),
  revised: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  error: z.string().nullable(),
});
export type LastPull = z.infer<typeof LastPull>;

/** A configured source with its pull state. */
export interface StoreSourceState {
  source: StoreSource;
  cursor: PullCursor;
  lastPull: LastPull | null;
}
