import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pullSources } from "../../../app/pulls/pull-service.js";
import { replyToReview } from "../../../app/tickets/reply-service.js";
import { processBatch } from "../../../app/worker/pipeline.js";
import { ValidationError } from "../../../sdk/errors.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { makeNewTicket } from "../../support/factories.js";
import { openPipelineFixture, type PipelineFixture } from "../../support/pipeline-fixture.js";
import { FakeGooglePlay, makePlayReview } from "../../support/stores/fake-google-play.js";
import { StubAgents } from "../../support/stub-agents.js";

describe("replying to a pulled review from its ticket", () => {
  let fixture: PipelineFixture;
  let store: FakeGooglePlay;
  let connector: { env: Record<string, string> };

  beforeEach(async () => {
    fixture = await openPipelineFixture({ agents: new StubAgents() });
    store = await new FakeGooglePlay("com.acme.game").start();
    connector = { env: { PLAY_KEY: JSON.stringify(store.account.json) } };
    await fixture.backend.sources.save(store.source("game-android", "PLAY_KEY"));
  });
  afterEach(async () => {
    await store.stop();
    await fixture.close();
  });

  it("posts the reply through the source that pulled the review and records it in the ticket's history", async () => {
    const review = makePlayReview();
    store.reviews = [review];
    await pullSources(fixture.backend, { connector });
    await processBatch(fixture.deps, await fixture.queue.receive({ maxMessages: 10 }));
    const [ticket] = (await fixture.tickets.list({ search: review.reviewId })).items;

    const reply = await replyToReview(
      fixture.backend,
      { ticket: ticket!.id, text: "Thanks, fixed in 4.2.", actor: "ana" },
      connector,
    );

    expect(store.replies).toEqual([{ reviewId: review.reviewId, replyText: "Thanks, fixed in 4.2." }]);
    expect((await fixture.tickets.get(ticket!.id))!.history).toEqual([
      expect.objectContaining({
        actor: "ana",
        after: {
          reply: {
            source: "game-android",
            reviewId: review.reviewId,
            text: "Thanks, fixed in 4.2.",
            repliedAt: reply.repliedAt,
          },
        },
      }),
    ]);
  });

  it("refuses a ticket whose feedback was not pulled from a store, posting nothing", async () => {
    const ticket = makeNewTicket();
    await insertTickets(fixture.db.sql, [ticket]);

    const replying = replyToReview(fixture.backend, { ticket: ticket.id, text: "Thanks!", actor: "ana" }, connector);

    await expect(replying).rejects.toBeInstanceOf(ValidationError);
    expect(store.replies).toEqual([]);
  });
});
