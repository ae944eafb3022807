import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AccessDeniedError } from "../../../sdk/errors.js";
import type { ReviewConnector } from "../../../sdk/ports/store-reviews.js";
import { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import { GooglePlayReviews, ServiceAccountKey } from "../../../sdk/stores/google-play.js";
import { FakeGooglePlay, makePlayReview, makeServiceAccount } from "../../support/stores/fake-google-play.js";

const PACKAGE = "com.acme.game";

describe("Google Play Developer API reviews", () => {
  let server: FakeGooglePlay;
  const waits: number[] = [];
  const sleep = async (ms: number) => void waits.push(ms);

  beforeEach(async () => {
    server = await new FakeGooglePlay(PACKAGE).start();
    waits.length = 0;
  });
  afterEach(() => server.stop());

  function connector(account = server.account.json): ReviewConnector {
    return new GooglePlayReviews(
      { name: "game-android", kind: "google-play", app: PACKAGE, serviceAccount: { env: "KEY" }, baseUrl: server.url },
      ServiceAccountKey.parse(account),
      { sleep },
    );
  }

  it("follows tokenPagination.nextPageToken over every page, newest change first", async () => {
    server.reviews = Array.from({ length: 5 }, () => makePlayReview());
    server.pageSize = 2;
    const reviews = connector();

    const ids: string[] = [];
    let next: string | null = null;
    do {
      const page = await reviews.page(next);
      ids.push(...page.reviews.map((review) => review.item.sourceId));
      next = page.next;
    } while (next);

    expect(ids).toEqual(server.reviews.map((review) => review.reviewId).reverse());
    expect(server.requests.filter((r) => r.url.pathname.endsWith("/reviews"))).toHaveLength(3);
  });

  it("turns comments[0].userComment into a feedback item with rating, version, device, language and its date", async () => {
    const review = makePlayReview({ starRating: 1, lastModified: "2026-11-20T09:30:00.250Z" });
    server.reviews = [review];

    const [pulled] = (await connector().page(null)).reviews;

    expect(FeedbackItem.parse(pulled!.item)).toMatchObject({
      sourceType: "app_store_review",
      sourceId: review.reviewId,
      app: PACKAGE,
      text: review.text,
      rating: 1,
      author: review.authorName,
      appVersion: "4.1.0",
      device: "a10",
      language: "de",
      platform: "android",
      submittedAt: "2026-11-20T09:30:00.250Z",
      metadata: { androidOsVersion: 34, store: "google-play" },
    });
    expect(pulled!.changedAt).toBe("2026-11-20T09:30:00.250Z");
  });

  it("gets one token for many pages, by a service-account assertion the token endpoint verifies", async () => {
    server.reviews = Array.from({ length: 3 }, () => makePlayReview());
    server.pageSize = 1;
    const reviews = connector();

    let page = await reviews.page(null);
    while (page.next) page = await reviews.page(page.next);

    expect(server.requests.filter((r) => r.url.pathname === "/token")).toHaveLength(1);
    expect(server.tokens.size).toBe(1);
  });

  it("asks for maxResults per page", async () => {
    await connector().page(null);

    expect(server.requests.at(-1)!.url.searchParams.get("maxResults")).toBe("100");
  });

  it("reports a key the token endpoint refuses as access denied, with what to do", async () => {
    const stranger = makeServiceAccount(`${server.url}/token`).json;

    const refused = connector({ ...server.account.json, private_key: stranger.private_key! }).page(null);

    await expect(refused).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(refused).rejects.toMatchObject({ hint: expect.stringMatching(/new JSON key/) });
  });

  it("reports a token the API refuses (401) as access denied, naming the service account to invite", async () => {
    server.queued.push({ status: 200, json: { access_token: "ya29.revoked", expires_in: 3599, token_type: "Bearer" } });

    const refused = connector().page(null);

    await expect(refused).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(refused).rejects.toMatchObject({ hint: expect.stringContaining(server.account.json.client_email!) });
  });

  it("posts a developer reply with reviews.reply", async () => {
    const review = makePlayReview();

    const posted = await connector().reply(review.reviewId, "Thanks, fixed in 4.2.");

    expect(server.replies).toEqual([{ reviewId: review.reviewId, replyText: "Thanks, fixed in 4.2." }]);
    expect(posted.repliedAt).toBe("2026-12-03T10:00:00.000Z");
  });

  it("waits as long as a 429's Retry-After asks, then reads the page", async () => {
    server.reviews = [makePlayReview()];
    const reviews = connector();
    await reviews.page(null);
    server.queued.push({ status: 429, headers: { "retry-after": "2" } });

    const page = await reviews.page(null);

    expect(waits).toEqual([2000]);
    expect(page.reviews).toHaveLength(1);
  });
});
