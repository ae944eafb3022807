import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pullSource } from "../../../app/pulls/pull-source.js";
import { processBatch } from "../../../app/worker/pipeline.js";
import { AccessDeniedError, BackendError } from "../../../sdk/errors.js";
import type { AppStoreConnectSource, GooglePlaySource } from "../../../sdk/schemas/store-source.js";
import { AppStoreConnectReviews } from "../../../sdk/stores/app-store-connect.js";
import { GooglePlayReviews, ServiceAccountKey } from "../../../sdk/stores/google-play.js";
import { openPipelineFixture, type PipelineFixture } from "../../support/pipeline-fixture.js";
import {
  type AppStoreKey,
  FakeAppStoreConnect,
  makeAppStoreKey,
  makeCustomerReview,
} from "../../support/stores/fake-app-store-connect.js";
import { FakeGooglePlay, makePlayReview } from "../../support/stores/fake-google-play.js";
import { StubAgents } from "../../support/stub-agents.js";

const APP_ID = "682658836";
const sleep = async () => {};

describe("pulling an App Store Connect source", () => {
  let fixture: PipelineFixture;
  let key: AppStoreKey;
  let store: FakeAppStoreConnect;
  let source: AppStoreConnectSource;

  beforeEach(async () => {
    fixture = await openPipelineFixture({ agents: new StubAgents() });
    key = makeAppStoreKey();
    store = await new FakeAppStoreConnect(APP_ID, key).start();
    store.pageSize = 2;
    source = {
      name: "notes-ios",
      kind: "app-store-connect",
      app: APP_ID,
      issuerId: key.issuerId,
      keyId: key.keyId,
      privateKey: { env: "ASC_KEY" },
      baseUrl: store.url,
    };
    await fixture.backend.sources.save(source);
  });
  afterEach(async () => {
    await store.stop();
    await fixture.close();
  });

  async function pull(options: { privateKey?: string; maxPages?: number } = {}) {
    const state = (await fixture.backend.sources.get(source.name))!;
    const connector = new AppStoreConnectReviews(
      source,
      { privateKey: options.privateKey ?? key.privateKeyPem },
      { sleep },
    );
    const { bus, tickets, sources } = fixture.backend;
    return pullSource(state, { connector, sources, bus, tickets }, { maxPages: options.maxPages });
  }

  async function work(): Promise<void> {
    for (let batch = await fixture.queue.receive({ maxMessages: 10 }); batch.length > 0; ) {
      await processBatch(fixture.deps, batch);
      batch = await fixture.queue.receive({ maxMessages: 10 });
    }
  }

  const reviewPages = () => store.requests.map((request) => request.url.searchParams.get("cursor") ?? "0");

  it("publishes every review over all pages, and the worker tickets each one", async () => {
    store.reviews = Array.from({ length: 5 }, () => makeCustomerReview());

    const result = await pull();
    await work();

    expect(result).toMatchObject({ pages: 3, enqueued: 5, complete: true, error: null });
    expect(await fixture.ticketCount()).toBe(5);
  });

  it("creates nothing new on a second pull, reading only down to the newest review it had seen", async () => {
    store.reviews = Array.from({ length: 5 }, () => makeCustomerReview());
    await pull();
    await work();
    store.requests.length = 0;

    const second = await pull();
    await work();

    expect(second).toMatchObject({ enqueued: 0, revised: 0, complete: true });
    expect(reviewPages()).toEqual(["0"]);
    expect(await fixture.ticketCount()).toBe(5);
  });

  it("publishes nothing again on a second pull before the worker has ticketed the first", async () => {
    store.reviews = Array.from({ length: 3 }, () => makeCustomerReview());
    await pull();

    expect(await pull()).toMatchObject({ enqueued: 0, complete: true });
  });

  it("still reads a review written in the same second as the newest one, after the pull", async () => {
    const at = "2026-12-01T00:00:00.000Z";
    store.reviews = [makeCustomerReview({ createdDate: at })];
    await pull();
    store.reviews.push(makeCustomerReview({ createdDate: at }));

    expect(await pull()).toMatchObject({ enqueued: 1 });
  });

  it("reads only the reviews written since the last pull", async () => {
    store.reviews = Array.from({ length: 3 }, () => makeCustomerReview());
    await pull();
    await work();
    store.reviews.push(makeCustomerReview({ createdDate: "2026-12-01T00:00:00.000Z" }));

    const second = await pull();
    await work();

    expect(second.enqueued).toBe(1);
    expect(await fixture.ticketCount()).toBe(4);
  });

  it("records a review edited between two pulls as a revision in its ticket's history, without a second ticket", async () => {
    const review = makeCustomerReview({ body: "Crashes on launch.", rating: 1 });
    store.reviews = [review];
    await pull();
    await work();
    Object.assign(review, { body: "Fixed in 4.2, thanks!", rating: 5, createdDate: "2026-12-02T00:00:00.000Z" });

    const second = await pull();
    await work();

    expect(second).toMatchObject({ enqueued: 0, revised: 1 });
    expect(await fixture.ticketCount()).toBe(1);
    const [ticket] = (await fixture.tickets.list({ search: review.id })).items;
    const detail = (await fixture.tickets.get(ticket!.id))!;
    expect(detail.feedback).toMatchObject({ text: "Fixed in 4.2, thanks!", rating: 5 });
    expect(detail.history).toEqual([
      expect.objectContaining({
        actor: "store-pull:notes-ios",
        before: { feedback: expect.objectContaining({ text: "Crashes on launch.", rating: 1 }) },
        after: { feedback: expect.objectContaining({ text: "Fixed in 4.2, thanks!", rating: 5 }) },
      }),
    ]);
  });

  it("resumes a pull cut off mid-way at the page it stopped on, and tickets each review once", async () => {
    store.reviews = Array.from({ length: 5 }, () => makeCustomerReview());
    store.dropPages.add(2);

    const crashed = await pull();
    store.requests.length = 0;
    const resumed = await pull();
    await work();

    expect(crashed).toMatchObject({ enqueued: 4, complete: false, error: expect.any(BackendError) });
    expect(reviewPages()).toEqual(["4"]);
    expect(resumed).toMatchObject({ enqueued: 1, complete: true, error: null });
    expect(await fixture.ticketCount()).toBe(5);
    expect(await pull()).toMatchObject({ enqueued: 0, revised: 0 });
  });

  it("keeps the rest for the next pull when it stops at maxPages", async () => {
    store.reviews = Array.from({ length: 5 }, () => makeCustomerReview());

    const first = await pull({ maxPages: 1 });
    const rest = await pull();

    expect(first).toMatchObject({ pages: 1, enqueued: 2, complete: false, error: null });
    expect(rest).toMatchObject({ pages: 2, enqueued: 3, complete: true });
  });

  it("records a refused key as the source's last pull, with the hint, and leaves the cursor as it was", async () => {
    store.reviews = [makeCustomerReview()];

    const result = await pull({ privateKey: makeAppStoreKey().privateKeyPem });

    expect(result.error).toBeInstanceOf(AccessDeniedError);
    const state = (await fixture.backend.sources.get(source.name))!;
    expect(state.cursor).toEqual({ watermark: null, seen: [], resume: null });
    expect(state.lastPull?.error).toMatch(/refused the credentials.*issuer id/);
  });
});

describe("pulling a Google Play source", () => {
  let fixture: PipelineFixture;
  let store: FakeGooglePlay;
  let source: GooglePlaySource;

  beforeEach(async () => {
    fixture = await openPipelineFixture({ agents: new StubAgents() });
    store = await new FakeGooglePlay("com.acme.game").start();
    source = {
      name: "game-android",
      kind: "google-play",
      app: "com.acme.game",
      serviceAccount: { env: "PLAY_KEY" },
      baseUrl: store.url,
    };
    await fixture.backend.sources.save(source);
  });
  afterEach(async () => {
    await store.stop();
    await fixture.close();
  });

  async function pull() {
    const state = (await fixture.backend.sources.get(source.name))!;
    const connector = new GooglePlayReviews(source, ServiceAccountKey.parse(store.account.json), { sleep });
    const { bus, tickets, sources } = fixture.backend;
    const result = await pullSource(state, { connector, sources, bus, tickets });
    await processBatch(fixture.deps, await fixture.queue.receive({ maxMessages: 10 }));
    return result;
  }

  it("records a review edited between two pulls (newer lastModified, new text) as a revision of the same ticket", async () => {
    const review = makePlayReview({ text: "Freezes on level 3.", starRating: 1 });
    store.reviews = [makePlayReview(), review];
    await pull();
    Object.assign(review, { text: "Works now.", starRating: 4, lastModified: "2026-12-03T10:00:00.000Z" });

    const second = await pull();

    expect(second).toMatchObject({ enqueued: 0, revised: 1 });
    expect(await fixture.ticketCount()).toBe(2);
    const [ticket] = (await fixture.tickets.list({ search: review.reviewId })).items;
    expect((await fixture.tickets.get(ticket!.id))!.feedback).toMatchObject({ text: "Works now.", rating: 4 });
  });

  it("creates nothing new on a second pull", async () => {
    store.reviews = Array.from({ length: 3 }, () => makePlayReview());
    await pull();

    expect(await pull()).toMatchObject({ enqueued: 0, revised: 0, complete: true });
    expect(await fixture.ticketCount()).toBe(3);
  });
});
