import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, TooLargeError, ValidationError } from "../../../sdk/errors.js";
import { ensureQueue, LocalDeadLetterQueue, LocalQueue } from "../../../sdk/local/queue.js";
import { createTestDatabase, type TestDatabase, testBackend } from "../../support/database.js";
import { describeQueueContract } from "../contracts/queue-contract.js";
import { createQueuePair, shiftQueueClock } from "./queue-fixtures.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

async function openPair(settings: Parameters<typeof createQueuePair>[1] = {}) {
  const { name, dlqName } = await createQueuePair(db.sql, settings);
  const queue = await LocalQueue.open(db.sql, name);
  const dlq = new LocalDeadLetterQueue(db.sql, dlqName);
  const advance = (seconds: number) => shiftQueueClock(db.sql, [name, dlqName], seconds);
  return { queue, dlq, advance };
}

describeQueueContract(`LocalQueue on ${testBackend}`, async () => {
  const { queue, dlq, advance } = await openPair();
  return { queue, dlq, maxReceiveCount: 3, advanceTime: advance, close: async () => undefined };
});

describeQueueContract(`LocalQueue on ${testBackend}, real clock`, async () => {
  const { queue, dlq } = await openPair({ maxReceiveCount: 2 });
  return { queue, dlq, maxReceiveCount: 2, close: async () => undefined };
});

describe("LocalQueue (local behaviour)", () => {
  it("ends a long poll at once when receives are interrupted, and polls normally afterwards", async () => {
    const { queue } = await openPair();
    const pending = queue.receive({ maxMessages: 10, waitTimeMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    queue.interruptReceives();
    const ended = await Promise.race([
      pending.then(() => "returned"),
      new Promise((resolve) => setTimeout(() => resolve("still waiting"), 5_000)),
    ]);
    expect(ended).toBe("returned");
    const [id] = await queue.send([{ body: "after" }]);
    expect((await queue.receive({ waitTimeMs: 1_000 })).map((m) => m.messageId)).toEqual([id]);
  });

  it("opens the seeded feedback queue with its settings, and refuses an unknown queue", async () => {
    const queue = await LocalQueue.open(db.sql, "feedback");
    expect(queue.settings).toEqual({
      visibilityTimeoutSeconds: 300,
      maxReceiveCount: 5,
      retentionSeconds: 1_209_600,
      deadLetterQueue: "feedback-dlq",
    });
    expect((await LocalDeadLetterQueue.forSourceQueue(db.sql, "feedback")).name).toBe("feedback-dlq");
    await expect(LocalQueue.open(db.sql, "no-such-queue")).rejects.toBeInstanceOf(NotFoundError);
    await expect(LocalDeadLetterQueue.forSourceQueue(db.sql, "feedback-dlq")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("deletes expired messages instead of delivering them, in flight or not", async () => {
    const { queue, advance } = await openPair({ retentionSeconds: 60 });
    await queue.send([{ body: "a" }, { body: "b" }]);
    const [inFlight] = await queue.receive({ visibilityTimeoutSeconds: 600 });
    expect(inFlight).toBeDefined();
    await advance(61);
    expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await queue.receive({ maxMessages: 10 })).toEqual([]);
    expect(await countRows(queue.name)).toBe(1);
    expect(await queue.purgeExpired()).toBe(1);
    expect(await countRows(queue.name)).toBe(0);
  });

  it("keeps a dead letter's retention counted from its original send, with the DLQ's period", async () => {
    const { queue, dlq, advance } = await openPair({ retentionSeconds: 60 });
    const [id] = await queue.send([{ body: "old" }]);
    for (let i = 0; i < 3; i++) {
      const [message] = await queue.receive();
      await queue.changeVisibility(message!.receiptHandle, 0);
    }
    expect(await queue.receive()).toEqual([]);
    await advance(120);
    expect((await dlq.get(id!))?.messageId).toBe(id);
    await advance(1_209_600);
    expect(await dlq.get(id!)).toBeNull();
    expect(await dlq.redrive({ messageIds: [id!] })).toEqual({ moved: [], notFound: [id] });
  });

  it("delivers each of 2,000 messages exactly once to 4 concurrent consumers", async () => {
    const { queue } = await openPair({ visibilityTimeoutSeconds: 600 });
    const ids = await queue.send(Array.from({ length: 2_000 }, (_, index) => ({ body: { index } })));
    const deliveries = new Map<string, number>();
    const consumer = async () => {
      for (;;) {
        const batch = await queue.receive({ maxMessages: 50 });
        if (batch.length === 0) return;
        for (const message of batch) deliveries.set(message.messageId, (deliveries.get(message.messageId) ?? 0) + 1);
        const result = await queue.deleteBatch(batch.map((m) => m.receiptHandle));
        expect(result.failed).toEqual([]);
      }
    };
    await Promise.all([consumer(), consumer(), consumer(), consumer()]);
    expect(deliveries.size).toBe(2_000);
    expect([...deliveries.values()].every((count) => count === 1)).toBe(true);
    expect([...deliveries.keys()].sort()).toEqual([...ids].sort());
    expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("reads only the messages it delivers from a backlog the table's statistics know nothing of", async () => {
    const { queue } = await openPair();
    // Feedback-sized bodies: with the table never analyzed, the planner would guess a few dozen visible rows and
    // read all 5,000 through a bitmap scan, sorting them to keep the oldest 250.
    for (let sent = 0; sent < 5_000; sent += 1_000)
      await queue.send(
        Array.from({ length: 1_000 }, (_, index) => ({ body: { text: "x".repeat(700), n: sent + index } })),
      );
    const before = await visibleAtIndexReads();
    const batch = await queue.receive({ maxMessages: 250 });
    expect(batch).toHaveLength(250);
    expect(batch.every((m) => (m.body as { n: number }).n < 1_000)).toBe(true); // from the oldest send
    expect((await visibleAtIndexReads()) - before).toBe(250);
  });
  it("sends and deletes inside the caller's transaction: rolled back with it, or committed with it", async () => {
    const { queue } = await openPair();
    await expect(
      db.sql.transaction(async (tx) => {
        await queue.bind(tx).send([{ body: "rolled back" }]);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });

    await queue.send([{ body: "kept" }]);
    const [message] = await queue.receive();
    await expect(
      db.sql.transaction(async (tx) => {
        expect((await queue.bind(tx).deleteBatch([message!.receiptHandle])).failed).toEqual([]);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await queue.depth()).toMatchObject({ inFlight: 1 });

    await db.sql.transaction((tx) => queue.bind(tx).deleteBatch([message!.receiptHandle]));
    expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("redrive keeps the row's id and resets receive count, receipt handle and dead-letter fields", async () => {
    const { queue, dlq } = await openPair({ maxReceiveCount: 1 });
    const [id] = await queue.send([{ body: { n: 1 } }]);
    const [message] = await queue.receive();
    await queue.changeVisibility(message!.receiptHandle, 0, "agent timed out");
    expect(await queue.receive()).toEqual([]);
    expect(await dlq.redrive()).toEqual({ moved: [id], notFound: [] });
    const { rows } = await db.sql.query(
      `SELECT id, queue, receive_count, receipt_handle, source_queue, dead_lettered_at, last_error
       FROM queue_messages WHERE id = $1`,
      [id],
    );
    expect(rows).toEqual([
      {
        id,
        queue: queue.name,
        receive_count: 0,
        receipt_handle: null,
        source_queue: null,
        dead_lettered_at: null,
        last_error: "agent timed out",
      },
    ]);
  });

  it("does not let messages due for the DLQ hide deliverable ones behind them", async () => {
    const { queue, dlq } = await openPair({ maxReceiveCount: 1 });
    const [stuck] = await queue.send([{ body: "stuck" }]);
    const [first] = await queue.receive();
    await queue.changeVisibility(first!.receiptHandle, 0);
    const [fresh] = await queue.send([{ body: "fresh" }]);
    const received = await queue.receive({ maxMessages: 1 });
    expect(received.map((m) => m.messageId)).toEqual([fresh]);
    expect((await dlq.get(stuck!))?.receiveCount).toBe(1);
  });

  it("delivers a message made visible now to the very next receive (times never rounded into the future)", async () => {
    const { queue } = await openPair({ maxReceiveCount: 1_000 });
    for (let round = 0; round < 100; round++) {
      const [id] = await queue.send([{ body: round }]);
      const [received] = await queue.receive();
      expect(received?.messageId).toBe(id);
      await queue.changeVisibility(received!.receiptHandle, 0);
      const [again] = await queue.receive();
      expect(again?.messageId).toBe(id);
      await queue.deleteBatch([again!.receiptHandle]);
    }
  });

  it("redelivers forever when the queue has no dead-letter queue, like SQS without a redrive policy", async () => {
    const name = `no-dlq-${process.pid}`;
    await ensureQueue(db.sql, name, {
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 1,
      retentionSeconds: 3_600,
      deadLetterQueue: null,
    });
    const queue = await LocalQueue.open(db.sql, name);
    await queue.send([{ body: "again" }]);
    for (let count = 1; count <= 3; count++) {
      const [message] = await queue.receive();
      expect(message?.receiveCount).toBe(count);
      await queue.changeVisibility(message!.receiptHandle, 0);
    }
  });

  it("reports malformed and unknown receipt handles as failed, never throwing on delete", async () => {
    const { queue } = await openPair();
    const result = await queue.deleteBatch(["not-a-handle", "00000000-0000-4000-8000-000000000000"]);
    expect(result.successful).toEqual([]);
    expect(result.failed.map((f) => [f.id, f.code])).toEqual([
      ["not-a-handle", "ReceiptHandleIsInvalid"],
      ["00000000-0000-4000-8000-000000000000", "ReceiptHandleIsInvalid"],
    ]);
    await expect(queue.changeVisibility("not-a-handle", 0)).rejects.toBeInstanceOf(ConflictError);
    expect(await queue.deleteBatch([])).toEqual({ successful: [], failed: [] });
    expect(await queue.send([])).toEqual([]);
  });

  it("keeps JSON bodies of every shape, including null and strings", async () => {
    const { queue } = await openPair();
    const bodies = [null, "text with 'quotes' and \"double\"", 0, [1, 2], { a: { b: [] } }, true];
    await queue.send(bodies.map((body) => ({ body })));
    const received = await queue.receive({ maxMessages: 10 });
    expect(received.map((m) => m.body)).toEqual(expect.arrayContaining(bodies));
    expect(received).toHaveLength(bodies.length);
  });

  it("rejects what SQS would reject: bad delays, oversized bodies, bad receive options", async () => {
    const { queue } = await openPair();
    await expect(queue.send([{ body: 1, delaySeconds: 901 }])).rejects.toBeInstanceOf(ValidationError);
    await expect(queue.send([{ body: "x".repeat(262_145) }])).rejects.toBeInstanceOf(TooLargeError);
    await expect(queue.send([{ body: undefined }])).rejects.toBeInstanceOf(ValidationError);
    await expect(queue.receive({ maxMessages: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(queue.receive({ visibilityTimeoutSeconds: 43_201 })).rejects.toBeInstanceOf(ValidationError);
    expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("validates queue settings", async () => {
    const settings = { visibilityTimeoutSeconds: 30, maxReceiveCount: 0, retentionSeconds: 10, deadLetterQueue: null };
    await expect(ensureQueue(db.sql, "bad queue", settings)).rejects.toThrow(/name.*maxReceiveCount.*retentionSeconds/);
  });
});

async function countRows(queue: string): Promise<number> {
  const { rows } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM queue_messages WHERE queue = $1`, [
    queue,
  ]);
  return rows[0]?.n ?? 0;
}

/** Index entries read so far through (queue, visible_at), the receive's index. */
async function visibleAtIndexReads(): Promise<number> {
  await db.sql.query("SELECT pg_stat_force_next_flush()");
  await db.sql.query("SELECT pg_stat_clear_snapshot()");
  const { rows } = await db.sql.query<{ reads: number }>(
    `SELECT idx_tup_read::int AS reads FROM pg_stat_user_indexes WHERE indexrelname = 'queue_messages_queue_visible_at_idx'`,
  );
  return rows[0]?.reads ?? 0;
}
