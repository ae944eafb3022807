import { importPKCS8, SignJWT } from "jose";
import { z } from "zod";
import { ConfigurationError } from "../errors.js";
import type { CanonicalField } from "../ingest/layouts.js";
import { type NormalizeContext, normalizeRow, type RawRow } from "../ingest/normalize.js";
import type { PulledReview, RejectedReview, ReviewConnector, ReviewPage } from "../ports/store-reviews.js";
import type { GooglePlaySource } from "../schemas/store-source.js";
import { type StoreHttpOptions, storeJson } from "./store-http.js";

export const GOOGLE_PLAY_URL = "https://androidpublisher.googleapis.com";
export const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
const SCOPE = "https://www.googleapis.com/auth/androidpublisher";
const STORE = "Google Play Developer API";
const PAGE_SIZE = 100;
const RENEW_BEFORE_SECONDS = 60;

/** The fields of a service account's JSON key file a token needs. */
export const ServiceAccountKey = z.object({
  client_email: z.string().min(1),
  private_key: z.string().min(1),
  private_key_id: z.string().optional(),
  token_uri: z.url().optional(),
});
export type ServiceAccountKey = z.infer<typeof ServiceAccountKey>;

const TokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });

const Timestamp = z.object({ seconds: z.union([z.string(), z.number()]), nanos: z.number().int().optional() });
const UserComment = z.object({
  text: z.string().optional(),
  lastModified: Timestamp,
  starRating: z.number().int().optional(),
  reviewerLanguage: z.string().optional(),
  device: z.string().optional(),
  androidOsVersion: z.number().int().optional(),
  appVersionCode: z.number().int().optional(),
  appVersionName: z.string().optional(),
  thumbsUpCount: z.number().int().optional(),
  thumbsDownCount: z.number().int().optional(),
});
const Review = z.object({
  reviewId: z.string().min(1),
  authorName: z.string().optional(),
  comments: z.array(z.object({ userComment: UserComment.optional() }).loose()).optional(),
});
const ReviewsListResponse = z.object({
  reviews: z.array(z.unknown()).optional(),
  tokenPagination: z.object({ nextPageToken: z.string().optional() }).partial().optional(),
});

const ReplyResponse = z.object({ result: z.object({ replyText: z.string(), lastEdited: Timestamp }) });

const LABELS: Record<CanonicalField, string> = {
  id: "reviewId",
  text: "comments[0].userComment.text",
  subject: "subject",
  rating: "comments[0].userComment.starRating",
  author: "authorName",
  date: "comments[0].userComment.lastModified",
  appVersion: "comments[0].userComment.appVersionName",
  device: "comments[0].userComment.device",
  platform: "platform",
  priority: "priority",
  language: "comments[0].userComment.reviewerLanguage",
  app: "packageName",
};

const CONTEXT: NormalizeContext = {
  kind: "review",
  sourceType: "app_store_review",
  labels: LABELS,
  fixedPlatform: "android",
};

/**
 * `reviews.list` of the Play Developer API (the reviews written or edited in the API's own window, about the last
 * week), newest change first, with an OAuth token from the service account's key.
 */
export class GooglePlayReviews implements ReviewConnector {
  private readonly base: string;
  private readonly tokenUrl: string;
  private token: { value: string; expiresAt: number } | null = null;

  constructor(
    private readonly source: GooglePlaySource,
    private readonly key: ServiceAccountKey,
    private readonly http: StoreHttpOptions = {},
  ) {
    this.base = (source.baseUrl ?? GOOGLE_PLAY_URL).replace(/\/+$/, "");
    this.tokenUrl = source.tokenUrl ?? key.token_uri ?? GOOGLE_TOKEN_URL;
  }

  async page(next: string | null): Promise<ReviewPage> {
    const query = new URLSearchParams({ maxResults: String(PAGE_SIZE) });
    if (next) query.set("token", next);
    const body = await storeJson(
      {
        store: STORE,
        url: `${this.base}/androidpublisher/v3/applications/${encodeURIComponent(this.source.app)}/reviews?${query}`,
        init: { headers: { authorization: `Bearer ${await this.bearer()}`, accept: "application/json" } },
        accessHint: `Invite the service account ${this.key.client_email} in Play Console (Users and permissions) with access to ${this.source.app}'s reviews.`,
      },
      ReviewsListResponse,
      this.http,
    );
    const reviews: PulledReview[] = [];
    const rejected: RejectedReview[] = [];
    for (const record of body.reviews ?? []) this.read(record, reviews, rejected);
    return { reviews, rejected, next: body.tokenPagination?.nextPageToken ?? null };
  }

  async reply(reviewId: string, text: string): Promise<{ repliedAt: string }> {
    const answer = await storeJson(
      {
        store: STORE,
        url: `${this.base}/androidpublisher/v3/applications/${encodeURIComponent(this.source.app)}/reviews/${encodeURIComponent(reviewId)}:reply`,
        init: {
          method: "POST",
          headers: { authorization: `Bearer ${await this.bearer()}`, "content-type": "application/json" },
          body: JSON.stringify({ replyText: text }),
        },
        accessHint: `Give the service account ${this.key.client_email} the "Reply to reviews" permission for ${this.source.app} in Play Console.`,
      },
      ReplyResponse,
      this.http,
    );
    return { repliedAt: timestampIso(answer.result.lastEdited) };
  }

  private read(record: unknown, reviews: PulledReview[], rejected: RejectedReview[]): void {
    const parsed = Review.safeParse(record);
    const id = parsed.success ? parsed.data.reviewId : null;
    const comment = parsed.success ? parsed.data.comments?.[0]?.userComment : undefined;
    if (!parsed.success || !comment) {
      rejected.push({ sourceId: id, message: "the review has no user comment" });
      return;
    }
    const changedAt = timestampIso(comment.lastModified);
    const normalized = normalizeRow(this.row(parsed.data, comment, changedAt), CONTEXT);
    if (normalized.ok) reviews.push({ item: normalized.item, changedAt });
    else rejected.push({ sourceId: id, message: normalized.problem.message });
  }

  private row(review: z.infer<typeof Review>, comment: z.infer<typeof UserComment>, changedAt: string): RawRow {
    const { text, starRating, appVersionName, device, reviewerLanguage, lastModified: _, ...rest } = comment;
    return {
      values: {
        id: review.reviewId,
        text,
        rating: starRating,
        author: review.authorName,
        date: changedAt,
        appVersion: appVersionName,
        device,
        language: reviewerLanguage,
        app: this.source.app,
      },
      metadata: { ...rest, store: "google-play", lastModified: changedAt },
    };
  }

  private async bearer(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    if (this.token && this.token.expiresAt - RENEW_BEFORE_SECONDS > now) return this.token.value;
    const form = new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
      assertion: await this.assertion(now),
    });
    const answer = await storeJson(
      {
        store: `${STORE} (token endpoint)`,
        url: this.tokenUrl,
        init: { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form },
        accessHint: `The service account key of source '${this.source.name}' may have been deleted or disabled: create a new JSON key for the service account and point the source at it.`,
        // A refused assertion is 400 invalid_grant (RFC 6749 5.2).
        deniedStatuses: [400, 401, 403],
      },
      TokenResponse,
      this.http,
    );
    this.token = { value: answer.access_token, expiresAt: now + answer.expires_in };
    return answer.access_token;
  }

  private async assertion(now: number): Promise<string> {
    const key = await importPKCS8(this.key.private_key, "RS256").catch((error: unknown) => {
      throw new ConfigurationError(`The service account key of source '${this.source.name}' has no RSA private key`, {
        cause: error,
        hint: "Point the source at the service account's JSON key file as Google Cloud downloads it.",
      });
    });
    return new SignJWT({ scope: SCOPE })
      .setProtectedHeader({
        alg: "RS256",
        typ: "JWT",
        ...(this.key.private_key_id ? { kid: this.key.private_key_id } : {}),
      })
      .setIssuer(this.key.client_email)
      .setAudience(this.tokenUrl)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(key);
  }
}

/** A protobuf Timestamp as JSON ({ seconds, nanos }) in ISO 8601, to the millisecond. */
export function timestampIso(timestamp: z.infer<typeof Timestamp>): string {
  const ms = Number(timestamp.seconds) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1_000_000);
  return new Date(ms).toISOString();
}
