import { importPKCS8, SignJWT } from "jose";
import { z } from "zod";
import { AccessDeniedError, BackendError } from "../errors.js";
import { APP_STORE_CONNECT_CONTEXT, appStoreConnectRow } from "../ingest/app-store-connect.js";
import { normalizeRow } from "../ingest/normalize.js";
import type { PulledReview, RejectedReview, ReviewConnector, ReviewPage } from "../ports/store-reviews.js";
import type { AppStoreConnectSource } from "../schemas/store-source.js";
import { type StoreHttpOptions, storeJson } from "./store-http.js";

export const APP_STORE_CONNECT_URL = "https://api.appstoreconnect.apple.com";
const STORE = "App Store Connect";
const FIELDS = "rating,title,body,reviewerNickname,createdDate,territory";
const PAGE_SIZE = 200;
/** Apple refuses tokens that live longer than 20 minutes; renewed a minute before they expire. */
const TOKEN_SECONDS = 20 * 60;
const RENEW_BEFORE_SECONDS = 60;

const ReviewsDocument = z.object({
  data: z.array(z.record(z.string(), z.unknown())),
  links: z.object({ next: z.string().optional() }).partial().optional(),
});

const ResponseDocument = z.object({
  data: z.object({
    type: z.literal("customerReviewResponses"),
    id: z.string(),
    attributes: z.object({ lastModifiedDate: z.string().optional() }).partial().optional(),
  }),
});

export interface AppStoreConnectCredentials {
  /** The .p8 key's PEM text. */
  privateKey: string;
}

/** `GET /v1/apps/{id}/customerReviews`, newest first, signed with an ES256 token from the team's API key. */
export class AppStoreConnectReviews implements ReviewConnector {
  private readonly base: string;
  private token: { value: string; expiresAt: number } | null = null;

  constructor(
    private readonly source: AppStoreConnectSource,
    private readonly credentials: AppStoreConnectCredentials,
    private readonly http: StoreHttpOptions = {},
  ) {
    this.base = (source.baseUrl ?? APP_STORE_CONNECT_URL).replace(/\/+$/, "");
  }

  async page(next: string | null): Promise<ReviewPage> {
    const url = next ? this.sameOrigin(next) : this.firstPage();
    const document = await storeJson(
      {
        store: STORE,
        url,
        init: { headers: { authorization: `Bearer ${await this.bearer()}`, accept: "application/json" } },
        accessHint: `Check the source's issuer id, key id and .p8 key (App Store Connect > Users and Access > Integrations); the key needs access to app ${this.source.app}.`,
      },
      ReviewsDocument,
      this.http,
    );
    const reviews: PulledReview[] = [];
    const rejected: RejectedReview[] = [];
    for (const record of document.data) this.read(record, reviews, rejected);
    return { reviews, rejected, next: document.links?.next ?? null };
  }

  async reply(reviewId: string, text: string): Promise<{ repliedAt: string }> {
    const body = {
      data: {
        type: "customerReviewResponses",
        attributes: { responseBody: text },
        relationships: { review: { data: { type: "customerReviews", id: reviewId } } },
      },
    };
    const created = await storeJson(
      {
        store: STORE,
        url: `${this.base}/v1/customerReviewResponses`,
        init: {
          method: "POST",
          headers: { authorization: `Bearer ${await this.bearer()}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        },
        accessHint: `Check the source's key: replying needs a key with the Admin, App Manager or Customer Support role for app ${this.source.app}.`,
      },
      ResponseDocument,
      this.http,
    );
    return { repliedAt: created.data.attributes?.lastModifiedDate ?? new Date().toISOString() };
  }

  private firstPage(): string {
    const query = new URLSearchParams({
      sort: "-createdDate",
      limit: String(PAGE_SIZE),
      "fields[customerReviews]": FIELDS,
    });
    return `${this.base}/v1/apps/${encodeURIComponent(this.source.app)}/customerReviews?${query}`;
  }

  /** The token goes only to the configured API: a `next` link elsewhere is refused. */
  private sameOrigin(next: string): string {
    const url = new URL(next, this.base);
    if (url.origin !== new URL(this.base).origin) {
      throw new BackendError(`${STORE} gave a next page on another host (${url.origin})`, {
        hint: "Check the source's base URL; the pull resumes from its cursor.",
      });
    }
    return url.toString();
  }

  private read(record: Record<string, unknown>, reviews: PulledReview[], rejected: RejectedReview[]): void {
    const row = appStoreConnectRow(record);
    const id = typeof record.id === "string" ? record.id : null;
    if ("message" in row) {
      rejected.push({ sourceId: id, message: row.message });
      return;
    }
    row.values.app = this.source.app;
    row.metadata.store = "app-store-connect";
    const normalized = normalizeRow(row, APP_STORE_CONNECT_CONTEXT);
    if (!normalized.ok) rejected.push({ sourceId: id, message: normalized.problem.message });
    else if (!normalized.item.submittedAt) rejected.push({ sourceId: id, message: "the review has no createdDate" });
    else reviews.push({ item: normalized.item, changedAt: normalized.item.submittedAt });
  }

  private async bearer(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    if (this.token && this.token.expiresAt - RENEW_BEFORE_SECONDS > now) return this.token.value;
    const key = await importPKCS8(this.credentials.privateKey, "ES256").catch((error: unknown) => {
      throw new AccessDeniedError(`The ${STORE} key of source '${this.source.name}' is not a .p8 (PKCS#8) EC key`, {
        cause: error,
        hint: "Download the API key again from App Store Connect and point the source at the .p8 file.",
      });
    });
    const expiresAt = now + TOKEN_SECONDS;
    const value = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: this.source.keyId, typ: "JWT" })
      .setIssuer(this.source.issuerId)
      .setAudience("appstoreconnect-v1")
      .setIssuedAt(now)
      .setExpirationTime(expiresAt)
      .sign(key);
    this.token = { value, expiresAt };
    return value;
  }
}
