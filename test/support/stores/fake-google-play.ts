import { generateKeyPairSync, type KeyObject, randomUUID } from "node:crypto";
import { jwtVerify } from "jose";
import type { GooglePlaySource } from "../../../sdk/schemas/store-source.js";
import { FakeStoreServer, type Reply } from "./fake-store-server.js";

export interface FakePlayReview {
  reviewId: string;
  authorName: string;
  text: string;
  starRating: number;
  /** ISO 8601; served as a protobuf Timestamp. */
  lastModified: string;
  appVersionName: string;
  androidOsVersion: number;
  device: string;
  reviewerLanguage: string;
}

let counter = 0;

/** A review as reviews.list returns it (flattened; `wire` nests it); `overrides` replace any field. */
export function makePlayReview(overrides: Partial<FakePlayReview> = {}): FakePlayReview {
  counter += 1;
  return {
    reviewId: `gp:AOqpTOH${String(counter).padStart(8, "0")}`,
    authorName: `Player ${counter}`,
    text: `The game freezes on level ${counter} every time.`,
    starRating: 2,
    lastModified: new Date(Date.UTC(2026, 10, 1, 12, 0, counter)).toISOString(),
    appVersionName: "4.1.0",
    androidOsVersion: 34,
    device: "a10",
    reviewerLanguage: "de",
    ...overrides,
  };
}

export interface ServiceAccount {
  /** The JSON key file's content, as Google Cloud downloads it. */
  json: Record<string, string>;
  publicKey: KeyObject;
}

export function makeServiceAccount(tokenUri: string): ServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    json: {
      type: "service_account",
      project_id: "acme-play",
      private_key_id: "8b4e1f0c",
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      client_email: "reviews@acme-play.iam.gserviceaccount.com",
      token_uri: tokenUri,
    },
    publicKey,
  };
}

function wire(review: FakePlayReview) {
  const ms = Date.parse(review.lastModified);
  const { reviewId, authorName, lastModified: _, ...comment } = review;
  return {
    reviewId,
    authorName,
    comments: [
      {
        userComment: {
          ...comment,
          lastModified: { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 },
          appVersionCode: 410,
          thumbsUpCount: 0,
          thumbsDownCount: 0,
        },
      },
    ],
  };
}

/**
 * The OAuth token endpoint (a JWT-bearer assertion signed RS256 by the service account, scope androidpublisher) and
 * `GET /androidpublisher/v3/applications/{packageName}/reviews` as documented: newest change first, `maxResults`
 * per page, `tokenPagination.nextPageToken` for the next, 401 without a token this server issued.
 */
export class FakeGooglePlay extends FakeStoreServer {
  reviews: FakePlayReview[] = [];
  pageSize = 100;
  readonly dropPages = new Set<number>();
  readonly tokens = new Set<string>();
  readonly replies: { reviewId: string; replyText: string }[] = [];
  account!: ServiceAccount;

  constructor(readonly packageName: string) {
    super((request, url, body) => {
      if (url.pathname === "/token") return this.token(body);
      return request.method === "POST" ? this.reply(url, body) : this.list(url);
    });
  }

  /** A source pulling this server's app, its key in environment variable `keyEnv`. */
  source(name: string, keyEnv: string): GooglePlaySource {
    return { name, kind: "google-play", app: this.packageName, serviceAccount: { env: keyEnv }, baseUrl: this.url };
  }

  override async start(): Promise<this> {
    await super.start();
    this.account = makeServiceAccount(`${this.url}/token`);
    return this;
  }

  private async token(body: string): Promise<Reply> {
    const form = new URLSearchParams(body);
    try {
      if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") throw new Error("grant_type");
      const { payload } = await jwtVerify(form.get("assertion") ?? "", this.account.publicKey, {
        algorithms: ["RS256"],
        issuer: this.account.json.client_email,
        audience: `${this.url}/token`,
      });
      if (payload.scope !== "https://www.googleapis.com/auth/androidpublisher") throw new Error("scope");
    } catch {
      return { status: 400, json: { error: "invalid_grant", error_description: "Invalid JWT Signature." } };
    }
    const token = `ya29.${randomUUID()}`;
    this.tokens.add(token);
    return { status: 200, json: { access_token: token, expires_in: 3599, token_type: "Bearer" } };
  }

  /** `POST .../reviews/{reviewId}:reply`: the developer reply, kept in `replies`. */
  private reply(url: URL, body: string): Reply {
    if (!this.tokens.has(this.requests.at(-1)!.authorization?.replace(/^Bearer /, "") ?? ""))
      return { status: 401, json: {} };
    const match = url.pathname.match(/^\/androidpublisher\/v3\/applications\/([^/]+)\/reviews\/([^/]+):reply$/);
    if (!match || match[1] !== this.packageName) return { status: 404, json: {} };
    const replyText = JSON.parse(body).replyText as string;
    this.replies.push({ reviewId: decodeURIComponent(match[2]!), replyText });
    return { status: 200, json: { result: { replyText, lastEdited: { seconds: "1796292000", nanos: 0 } } } };
  }

  private list(url: URL): Reply | "drop" {
    const request = this.requests.at(-1)!;
    if (!this.tokens.has(request.authorization?.replace(/^Bearer /, "") ?? "")) {
      return {
        status: 401,
        json: {
          error: { code: 401, message: "Request had invalid authentication credentials.", status: "UNAUTHENTICATED" },
        },
      };
    }
    if (url.pathname !== `/androidpublisher/v3/applications/${this.packageName}/reviews`)
      return { status: 404, json: {} };
    const sorted = [...this.reviews].sort((a, b) => b.lastModified.localeCompare(a.lastModified));
    const limit = Math.min(Number(url.searchParams.get("maxResults") ?? 10), this.pageSize);
    const offset = Number(url.searchParams.get("token") ?? 0);
    if (this.dropPages.delete(offset / limit)) return "drop";
    const more = offset + limit < sorted.length;
    return {
      status: 200,
      json: {
        reviews: sorted.slice(offset, offset + limit).map(wire),
        pageInfo: { totalResults: sorted.length, resultPerPage: limit, startIndex: offset },
        ...(more ? { tokenPagination: { nextPageToken: String(offset + limit) } } : {}),
      },
    };
  }
}
