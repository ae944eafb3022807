import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { jwtVerify } from "jose";
import { FakeStoreServer, type Reply } from "./fake-store-server.js";

export interface FakeCustomerReview {
  id: string;
  rating: number;
  title: string | null;
  body: string;
  reviewerNickname: string;
  createdDate: string;
  territory: string;
}

let counter = 0;

/** A customer review as App Store Connect lists it; `overrides` replace any attribute. */
export function makeCustomerReview(overrides: Partial<FakeCustomerReview> = {}): FakeCustomerReview {
  counter += 1;
  return {
    id: `00000028-b08c-0014-729e-${String(counter).padStart(12, "0")}`,
    rating: 2,
    title: "Crashes",
    body: `The app crashes when I open the settings (review ${counter}).`,
    reviewerNickname: `reviewer-${counter}`,
    createdDate: new Date(Date.UTC(2026, 10, 1, 12, 0, counter)).toISOString(),
    territory: "USA",
    ...overrides,
  };
}

export interface AppStoreKey {
  keyId: string;
  issuerId: string;
  /** PKCS#8 PEM, as the .p8 file holds it. */
  privateKeyPem: string;
  publicKey: KeyObject;
}

export function makeAppStoreKey(): AppStoreKey {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    keyId: "2X9R4HXF34",
    issuerId: "57246542-96fe-1a63-e053-0824d011072a",
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKey,
  };
}

/**
 * `GET /v1/apps/{id}/customerReviews` as documented: a JSON:API document, newest `createdDate` first with
 * sort=-createdDate, `limit` per page, `links.next` to the following page; 401 unless the bearer token is an ES256
 * JWT of the team's key (kid, iss, aud "appstoreconnect-v1", at most 20 minutes long).
 */
export class FakeAppStoreConnect extends FakeStoreServer {
  reviews: FakeCustomerReview[] = [];
  pageSize = 200;
  /** Page numbers (0-based) whose request is cut off, once each. */
  readonly dropPages = new Set<number>();
  readonly responses: { reviewId: string; responseBody: string }[] = [];

  constructor(
    readonly appId: string,
    private readonly key: AppStoreKey,
  ) {
    super(async (request, url, body) => {
      if (request.method === "POST") return this.respond(request.headers.authorization, url, body);
      return this.answer(request.headers.authorization, url);
    });
  }

  private async answer(authorization: string | undefined, url: URL): Promise<Reply | "drop"> {
    if (!(await this.authorized(authorization))) return { status: 401, json: errors("NOT_AUTHORIZED", 401) };
    if (url.pathname !== `/v1/apps/${this.appId}/customerReviews`)
      return { status: 404, json: errors("NOT_FOUND", 404) };
    const sorted = [...this.reviews].sort((a, b) =>
      url.searchParams.get("sort") === "-createdDate" ? b.createdDate.localeCompare(a.createdDate) : 0,
    );
    const limit = Math.min(Number(url.searchParams.get("limit") ?? 50), this.pageSize);
    const offset = Number(url.searchParams.get("cursor") ?? 0);
    const page = offset / limit;
    if (this.dropPages.delete(page)) return "drop";
    const slice = sorted.slice(offset, offset + limit);
    const next = new URL(url);
    next.searchParams.set("cursor", String(offset + limit));
    return {
      status: 200,
      json: {
        data: slice.map(({ id, ...attributes }) => ({ type: "customerReviews", id, attributes })),
        links: { self: url.toString(), ...(offset + limit < sorted.length ? { next: next.toString() } : {}) },
        meta: { paging: { total: sorted.length, limit } },
      },
    };
  }

  /** `POST /v1/customerReviewResponses`: the developer response, kept in `responses`. */
  private async respond(authorization: string | undefined, url: URL, body: string): Promise<Reply> {
    if (!(await this.authorized(authorization))) return { status: 401, json: errors("NOT_AUTHORIZED", 401) };
    if (url.pathname !== "/v1/customerReviewResponses") return { status: 404, json: errors("NOT_FOUND", 404) };
    const { data } = JSON.parse(body);
    const reviewId = data.relationships.review.data.id;
    if (!this.reviews.some((review) => review.id === reviewId))
      return { status: 409, json: errors("ENTITY_ERROR", 409) };
    this.responses.push({ reviewId, responseBody: data.attributes.responseBody });
    const lastModifiedDate = "2026-12-05T10:00:00.000Z";
    return {
      status: 201,
      json: {
        data: {
          type: "customerReviewResponses",
          id: `r-${reviewId}`,
          attributes: { ...data.attributes, lastModifiedDate, state: "PENDING_PUBLISH" },
        },
      },
    };
  }

  private async authorized(authorization: string | undefined): Promise<boolean> {
    const token = authorization?.replace(/^Bearer /, "");
    if (!token) return false;
    try {
      const { payload, protectedHeader } = await jwtVerify(token, this.key.publicKey, {
        algorithms: ["ES256"],
        issuer: this.key.issuerId,
        audience: "appstoreconnect-v1",
      });
      return protectedHeader.kid === this.key.keyId && payload.exp! - payload.iat! <= 20 * 60;
    } catch {
      return false;
    }
  }
}

function errors(code: string, status: number) {
  return { errors: [{ status: String(status), code, title: code, detail: code }] };
}
