import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memoryLog } from "../../../sdk/log.js";
import { createStorePullLambda } from "../../../worker/handlers/store-pull-lambda.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { FakeGooglePlay, makePlayReview } from "../../support/stores/fake-google-play.js";

describe("store pull Lambda (EventBridge Scheduler -> pullSources)", () => {
  let fixture: TestBackend;
  let store: FakeGooglePlay;

  beforeEach(async () => {
    fixture = await openTestBackend();
    store = await new FakeGooglePlay("com.acme.game").start();
    await fixture.backend.sources.save(store.source("game-android", "PLAY_KEY"));
  });
  afterEach(async () => {
    await store.stop();
    await fixture.close();
  });

  const lambda = (keys: Record<string, string>, log = memoryLog()) =>
    createStorePullLambda(async () => ({ backend: fixture.backend, keys, log }));

  it("pulls every source with the keys of the store keys secret and returns the summary", async () => {
    store.reviews = [makePlayReview(), makePlayReview()];

    const summary = await lambda({ PLAY_KEY: JSON.stringify(store.account.json) })({});

    expect(summary.totals).toMatchObject({ enqueued: 2, failed: 0 });
  });

  it("logs a source that fails with its hint and still resolves, leaving it for the next run", async () => {
    const log = memoryLog();

    const summary = await lambda({}, log)({});

    expect(summary.totals.failed).toBe(1);
    expect(log.entries).toContainEqual(
      expect.objectContaining({
        level: "error",
        event: "store.pull.failed",
        fields: expect.objectContaining({ source: "game-android", hint: expect.stringMatching(/PLAY_KEY/) }),
      }),
    );
  });
});
