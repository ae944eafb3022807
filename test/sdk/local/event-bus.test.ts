import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BackendError, ConfigurationError } from "../../../sdk/errors.js";
import { LocalEventBus, MAX_EVENT_ENTRY_BYTES, UNMATCHED } from "../../../sdk/local/event-bus.js";
import { ensureQueue, LocalQueue } from "../../../sdk/local/queue.js";
import type { PublishEntry } from "../../../sdk/ports/event-bus.js";
import { FEEDBACK_RECEIVED, type QueueMessageBody } from "../../../sdk/schemas/events.js";
import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import { createTestDatabase, type TestDatabase } from "../../support/database.js";
import { makeItem } from "../../support/factories.js";

const QUEUE_SETTINGS = {
  visibilityTimeoutSeconds: 30,
  maxReceiveCount: 5,
  retentionSeconds: 3_600,
  deadLetterQueue: null,
};

function feedbackEntry(item: unknown = makeItem()): PublishEntry {
  return { source: "feedback.files", detailType: FEEDBACK_RECEIVED, detail: { item } };
}

describe("LocalEventBus", () => {
  let db: TestDatabase;
  let bus: LocalEventBus;
  let feedback: LocalQueue;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.close());
  beforeEach(async () => {
    await db.sql.exec(`
      DROP TRIGGER IF EXISTS refuse_broken ON queue_messages;
      DROP FUNCTION IF EXISTS refuse_broken();
      DELETE FROM event_rules WHERE name <> 'feedback-received-to-queue';
      DELETE FROM queue_messages;`);
    bus = new LocalEventBus(db.sql, { ruleCacheMs: 0 });
    feedback = await LocalQueue.open(db.sql, "feedback");
  });

  async function addRule(name: string, pattern: unknown, targetQueue: string): Promise<void> {
    await ensureQueue(db.sql, targetQueue, QUEUE_SETTINGS);
    await db.sql.query(`INSERT INTO event_rules (name, pattern, target_queue) VALUES ($1, $2::text::jsonb, $3)`, [
      name,
      JSON.stringify(pattern),
      targetQueue,
    ]);
  }

  it("wraps entries in EventBridge envelopes and enqueues matching ones through the ingestion step", async () => {
    const item = makeItem();
    const time = new Date("2026-11-25T08:00:00.000Z");
    const result = await bus.publish([{ ...feedbackEntry(item), time }]);
    expect(result.failed).toEqual([]);
    expect(result.eventIds).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    expect(result.deliveredTo).toEqual({ feedback: 1 });
    const [message] = await feedback.receive<QueueMessageBody>();
    expect(message?.body).toEqual({
      kind: "feedback.process",
      eventId: result.eventIds[0],
      item,
      enqueuedAt: expect.any(String),
    });
  });

  it("accepts events that match no rule and counts them as unmatched", async () => {
    const result = await bus.publish([
      { source: "billing.invoices", detailType: "InvoicePaid", detail: { amount: 3 } },
      feedbackEntry(),
    ]);
    expect(result.failed).toEqual([]);
    expect(result.eventIds.every((id) => typeof id === "string")).toBe(true);
    expect(result.deliveredTo).toEqual({ [UNMATCHED]: 1, feedback: 1 });
    expect(await feedback.depth()).toMatchObject({ visible: 1 });
  });

  it("routes by nested detail fields and delivers an event once per matching rule", async () => {
    await addRule("emails-only", { detail: { item: { sourceType: ["email"] } } }, "emails");
    await addRule(
      "not-reviews",
      { detail: { item: { sourceType: [{ "anything-but": "app_store_review" }] } } },
      "triage",
    );
    await addRule("disabled", { source: [{ exists: true }] }, "never");
    await db.sql.query(`UPDATE event_rules SET enabled = false WHERE name = 'disabled'`);

    const result = await bus.publish([
      feedbackEntry(makeItem({ sourceType: "email" })),
      feedbackEntry(makeItem({ sourceType: "app_store_review" })),
      feedbackEntry(makeItem({ sourceType: "webhook" })),
    ]);
    expect(result.failed).toEqual([]);
    expect(result.deliveredTo).toEqual({ feedback: 3, emails: 1, triage: 2 });
    expect(await depthOf("emails")).toBe(1);
    expect(await depthOf("triage")).toBe(2);
    expect(await depthOf("never")).toBe(0);
  });

  it("rejects an event the ingestion step refuses, with the reason, and still delivers the others", async () => {
    const invalid = { ...makeItem(), text: "" };
    const result = await bus.publish([feedbackEntry(invalid), feedbackEntry()]);
    expect(result.eventIds[0]).toBeNull();
    expect(result.eventIds[1]).toEqual(expect.any(String));
    expect(result.failed).toEqual([
      { index: 0, errorCode: "IngestionRejected", errorMessage: expect.stringMatching(/^detail\.item\.text: /) },
    ]);
    expect(result.deliveredTo).toEqual({ feedback: 1 });
    expect(await feedback.depth()).toMatchObject({ visible: 1 });
  });

  it("fails entries over 256 KiB with EntryTooLarge, like EventBridge", async () => {
    const huge = {
      source: "feedback.files",
      detailType: FEEDBACK_RECEIVED,
      detail: { blob: "x".repeat(MAX_EVENT_ENTRY_BYTES) },
    };
    const result = await bus.publish([huge, feedbackEntry()]);
    expect(result.eventIds[0]).toBeNull();
    expect(result.failed).toEqual([{ index: 0, errorCode: "EntryTooLarge", errorMessage: expect.any(String) }]);
    expect(result.deliveredTo).toEqual({ feedback: 1 });
  });

  it("fails malformed entries without publishing them", async () => {
    const result = await bus.publish([
      { source: "", detailType: FEEDBACK_RECEIVED, detail: {} },
      { source: "feedback.files", detailType: FEEDBACK_RECEIVED, detail: [] as unknown as Record<string, unknown> },
    ]);
    expect(result.eventIds).toEqual([null, null]);
    expect(result.failed.map((f) => [f.index, f.errorCode])).toEqual([
      [0, "InvalidArgument"],
      [1, "MalformedDetail"],
    ]);
    expect(result.deliveredTo).toEqual({});
  });

  it("is atomic: when one target's enqueue fails, nothing of the publish is enqueued", async () => {
    await addRule("to-broken", { "detail-type": [FEEDBACK_RECEIVED] }, "broken");
    await db.sql.exec(`
      CREATE FUNCTION refuse_broken() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'queue broken refuses messages'; END $$;
      CREATE TRIGGER refuse_broken BEFORE INSERT ON queue_messages
        FOR EACH ROW WHEN (NEW.queue = 'broken') EXECUTE FUNCTION refuse_broken();`);
    await expect(bus.publish([feedbackEntry(), feedbackEntry()])).rejects.toBeInstanceOf(BackendError);
    expect(await feedback.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("publishes inside the caller's transaction, committing or rolling back with it", async () => {
    await expect(
      db.sql.transaction(async (tx) => {
        expect((await bus.publishWithin(tx, [feedbackEntry()])).deliveredTo).toEqual({ feedback: 1 });
        throw new Error("caller failed");
      }),
    ).rejects.toThrow("caller failed");
    expect(await feedback.depth()).toMatchObject({ visible: 0 });
    await db.sql.transaction((tx) => bus.publishWithin(tx, [feedbackEntry()]));
    expect(await feedback.depth()).toMatchObject({ visible: 1 });
  });

  it("refuses to publish while a rule has an unsupported pattern", async () => {
    await addRule("bad", { source: [{ regex: ".*" }] }, "elsewhere");
    await expect(bus.publish([feedbackEntry()])).rejects.toBeInstanceOf(ConfigurationError);
    expect(await feedback.depth()).toMatchObject({ visible: 0 });
  });

  it("caches rules until invalidated", async () => {
    const cached = new LocalEventBus(db.sql, { ruleCacheMs: 60_000 });
    await cached.publish([feedbackEntry()]);
    await addRule("late", { source: [{ prefix: "feedback." }] }, "late");
    expect((await cached.publish([feedbackEntry()])).deliveredTo).toEqual({ feedback: 1 });
    cached.invalidateRules();
    expect((await cached.publish([feedbackEntry()])).deliveredTo).toEqual({ feedback: 1, late: 1 });
  });

  it("publishes a large batch in one call", async () => {
    const items: FeedbackItem[] = Array.from({ length: 1_500 }, () => makeItem());
    const result = await bus.publish(items.map((item) => feedbackEntry(item)));
    expect(result.failed).toEqual([]);
    expect(result.deliveredTo).toEqual({ feedback: 1_500 });
    expect(await feedback.depth()).toMatchObject({ visible: 1_500 });
  });

  async function depthOf(queue: string): Promise<number> {
    return (await (await LocalQueue.open(db.sql, queue)).depth()).visible;
  }
});
