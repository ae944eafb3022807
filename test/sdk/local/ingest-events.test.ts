import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ingestEvents } from "../../../sdk/ingest/ingest-events.js";
import type { MessageQueue, SendEntry } from "../../../sdk/ports/queue.js";
import { FEEDBACK_RECEIVED, QueueMessageBody } from "../../../sdk/schemas/events.js";
import { makeItem } from "../../support/factories.js";

/** Records sends; nothing else of the queue is used by ingestion. */
function recordingQueue(): MessageQueue & { batches: SendEntry[][] } {
  const batches: SendEntry[][] = [];
  const unused = () => Promise.reject(new Error("not used by ingestion"));
  return {
    name: "recording",
    batches,
    async send(entries) {
      batches.push([...entries]);
      return entries.map(() => randomUUID());
    },
    receive: unused,
    deleteBatch: unused,
    changeVisibility: unused,
    depth: unused,
    interruptReceives: () => undefined,
  };
}

function feedbackEvent(item: unknown = makeItem(), id: string = randomUUID()) {
  return {
    id,
    version: "0",
    source: "feedback.files",
    "detail-type": FEEDBACK_RECEIVED,
    time: "2026-11-25T09:00:00.000Z",
    region: "local",
    account: "000000000000",
    resources: [],
    detail: { item },
  };
}

describe("ingestEvents", () => {
  it("turns each valid FeedbackReceived event into one feedback.process message", async () => {
    const queue = recordingQueue();
    const item = makeItem({ sourceType: "email" });
    const event = feedbackEvent(item);
    const now = new Date("2026-11-25T10:00:00.000Z");
    const result = await ingestEvents([event], queue, { now: () => now });
    expect(result).toEqual({ enqueued: 1, rejected: [] });
    const body = queue.batches[0]?.[0]?.body;
    expect(QueueMessageBody.parse(body)).toEqual({
      kind: "feedback.process",
      eventId: event.id,
      item,
      enqueuedAt: now.toISOString(),
    });
  });

  it("rejects invalid events with the eventId and readable zod issue paths, and still enqueues the valid ones", async () => {
    const queue = recordingQueue();
    const good = feedbackEvent();
    const emptyText = feedbackEvent({ ...makeItem(), text: "   " }, "bad-text");
    const wrongType = { ...feedbackEvent(), id: "wrong-type", "detail-type": "SomethingElse" };
    const result = await ingestEvents([good, emptyText, wrongType, "not an event", null], queue);
    expect(result.enqueued).toBe(1);
    expect(result.rejected).toEqual([
      { eventId: "bad-text", reason: expect.stringMatching(/^detail\.item\.text: /) },
      { eventId: "wrong-type", reason: expect.stringMatching(/^detail-type: .*FeedbackReceived/) },
      { eventId: null, reason: expect.any(String) },
      { eventId: null, reason: expect.any(String) },
    ]);
    expect(queue.batches.flat().map((entry) => (entry.body as QueueMessageBody).eventId)).toEqual([good.id]);
  });

  it("sends in batches of batchSize", async () => {
    const queue = recordingQueue();
    const events = Array.from({ length: 7 }, () => feedbackEvent());
    expect(await ingestEvents(events, queue, { batchSize: 3 })).toEqual({ enqueued: 7, rejected: [] });
    expect(queue.batches.map((batch) => batch.length)).toEqual([3, 3, 1]);
  });

  it("sends nothing for no valid events", async () => {
    const queue = recordingQueue();
    expect(await ingestEvents([], queue)).toEqual({ enqueued: 0, rejected: [] });
    expect(queue.batches).toEqual([]);
  });

  it("propagates a failing send so the caller can retry the whole call", async () => {
    const queue = recordingQueue();
    queue.send = () => Promise.reject(new Error("queue down"));
    await expect(ingestEvents([feedbackEvent()], queue)).rejects.toThrow("queue down");
  });
});
