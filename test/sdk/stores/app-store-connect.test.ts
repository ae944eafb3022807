import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AccessDeniedError, BackendError, ThrottlingError } from "../../../sdk/errors.js";
import type { ReviewConnector } from "../../../sdk/ports/store-reviews.js";
import { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import type { AppStoreConnectSource } from "../../../sdk/schemas/store-source.js";
import { AppStoreConnectReviews } from "../../../sdk/stores/app-store-connect.js";
import {
  type AppStoreKey,
  FakeAppStoreConnect,
  makeAppStoreKey,
  makeCustomerReview,
} from "../../support/stores/fake-app-store-connect.js";

const APP_ID = "682658836";

describe("App Store Connect customer reviews", () => {
  let key: AppStoreKey;
  let server: FakeAppStoreConnect;
  const waits: number[] = [];
  const sleep = async (ms: number) => void waits.push(ms);

  beforeEach(async () => {
    key = makeAppStoreKey();
    server = await new FakeAppStoreConnect(APP_ID, key).start();
    waits.length = 0;
  });
  afterEach(() => server.stop());

  function source(): AppStoreConnectSource {
    return {
      name: "notes-ios",
      kind: "app-store-connect",
      app: APP_ID,
      issuerId: key.issuerId,
      keyId: key.keyId,
      privateKey: { env: "ASC_KEY" },
      baseUrl: server.url,
    };
  }

  function connector(privateKey = key.privateKeyPem): ReviewConnector {
    return new AppStoreConnectReviews(source(), { privateKey }, { sleep });
  }

  async function readAll(reviews: ReviewConnector) {
    const pages = [];
    for (let next: string | null = null, first = true; first || next; first = false) {
      const page = await reviews.page(next);
      pages.push(page);
      next = page.next;
    }
    return pages;
  }

  it("follows links.next over every page, newest review first", async () => {
    server.reviews = Array.from({ length: 5 }, () => makeCustomerReview());
    server.pageSize = 2;

    const pages = await readAll(connector());

    expect(pages.map((page) => page.reviews.length)).toEqual([2, 2, 1]);
    const ids = pages.flatMap((page) => page.reviews.map((review) => review.item.sourceId));
    expect(ids).toEqual(server.reviews.map((review) => review.id).reverse());
  });

  it("asks for the documented sort, fields and page size", async () => {
    await connector().page(null);

    const query = server.requests[0]!.url.searchParams;
    expect(query.get("sort")).toBe("-createdDate");
    expect(query.get("fields[customerReviews]")).toBe("rating,title,body,reviewerNickname,createdDate,territory");
    expect(query.get("limit")).toBe("200");
  });

  it("turns a review into a feedback item keeping the store's id, app, territory, rating and date", async () => {
    const review = makeCustomerReview({ rating: 1, territory: "DEU", createdDate: "2026-11-15T08:10:34-08:00" });
    server.reviews = [review];

    const [pulled] = (await connector().page(null)).reviews;

    const item = FeedbackItem.parse(pulled!.item);
    expect(item).toMatchObject({
      sourceType: "app_store_review",
      sourceId: review.id,
      app: APP_ID,
      rating: 1,
      text: review.body,
      subject: review.title,
      author: review.reviewerNickname,
      platform: "ios",
      submittedAt: "2026-11-15T16:10:34.000Z",
    });
    expect(item.metadata).toMatchObject({ territory: "DEU", store: "app-store-connect" });
    expect(pulled!.changedAt).toBe("2026-11-15T16:10:34.000Z");
  });

  it("signs an ES256 token with the key id, the issuer and the App Store Connect audience, for at most 20 minutes", async () => {
    await connector().page(null);

    const token = server.requests[0]!.authorization!.replace("Bearer ", "");
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "ES256", kid: key.keyId, typ: "JWT" });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: key.issuerId, aud: "appstoreconnect-v1" });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(20 * 60);
  });

  it("reports a token the store refuses (401) as access denied, with what to check", async () => {
    const otherKey = makeAppStoreKey();

    const refused = connector(otherKey.privateKeyPem).page(null);

    await expect(refused).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(refused).rejects.toMatchObject({ hint: expect.stringMatching(/issuer id, key id and \.p8 key/) });
  });

  it("waits as long as a 429's Retry-After asks, then reads the page", async () => {
    server.reviews = [makeCustomerReview()];
    server.queued.push({ status: 429, headers: { "retry-after": "3" } });

    const page = await connector().page(null);

    expect(waits).toEqual([3000]);
    expect(page.reviews).toHaveLength(1);
  });

  it("gives up after a bounded number of 429s with a throttling error", async () => {
    for (let i = 0; i < 10; i += 1) server.queued.push({ status: 429, headers: { "retry-after": "1" } });

    await expect(connector().page(null)).rejects.toBeInstanceOf(ThrottlingError);
    expect(waits).toHaveLength(3);
  });

  it("gives up on a page the store does not answer in time, as a backend error to resume from", async () => {
    server.queued.push({ status: 200, delayMs: 2000 });
    const slow = new AppStoreConnectReviews(source(), { privateKey: key.privateKeyPem }, { sleep, timeoutMs: 200 });

    await expect(slow.page(null)).rejects.toThrow(/could not be reached/);
  });

  it("sends the token to no other host than the configured one", async () => {
    await expect(connector().page("https://elsewhere.example/v1/apps/1/customerReviews")).rejects.toBeInstanceOf(
      BackendError,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("posts a developer response to a review as a customerReviewResponses resource", async () => {
    const review = makeCustomerReview();
    server.reviews = [review];

    const posted = await connector().reply(review.id, "Thanks, fixed in 4.2.");

    expect(server.responses).toEqual([{ reviewId: review.id, responseBody: "Thanks, fixed in 4.2." }]);
    expect(posted.repliedAt).toBe("2026-12-05T10:00:00.000Z");
  });

  it("lists a review without text or title as rejected, not as an item", async () => {
    server.reviews = [makeCustomerReview({ body: " ", title: null }), makeCustomerReview()];

    const page = await connector().page(null);

    expect(page.reviews).toHaveLength(1);
    expect(page.rejected).toEqual([{ sourceId: server.reviews[0]!.id, message: expect.any(String) }]);
  });
});
