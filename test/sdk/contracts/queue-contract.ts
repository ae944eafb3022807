import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it as vitestIt } from "vitest";
import { ConflictError } from "../../../sdk/errors.js";
import type { DeadLetterQueue, MessageQueue, ReceivedMessage, ReceiveOptions } from "../../../sdk/ports/queue.js";

export interface QueueContractSubject {
  /** A fresh, empty queue whose default visibility timeout is long (>= 30 s). */
  queue: MessageQueue;
  /** Its dead-letter queue, empty. */
  dlq: DeadLetterQueue;
  /** The queue's redrive policy; default 5. */
  maxReceiveCount?: number;
  /** Makes `seconds` pass for the queue; without it the suite really waits (visibility timeouts of 1 s). */
  advanceTime?: (seconds: number) => Promise<void>;
  close(): Promise<void>;
}

export interface QueueContractOptions {
  /**
   * Cases this implementation skips, by title, each with the reason its behaviour is meant to differ
   * (shown in the test report). Only for documented semantic differences, never to hide a failure.
   */
  skip?: Record<string, string>;
  /**
   * The server does not report which queue a dead letter came from (SQS's DeadLetterQueueSourceArn): the
   * reason. The dead letter's `sourceQueue` is then expected to be null rather than the queue's name.
   */
  noDeadLetterSource?: string;
}

/**
 * SQS's contract, written against the ports only, so the local queue and the SQS adapter pass the same
 * suite. Visibility expiry uses per-call timeouts of 1 s and `advanceTime` (or a real 1.2 s wait).
 */
export function describeQueueContract(
  name: string,
  factory: () => Promise<QueueContractSubject>,
  options: QueueContractOptions = {},
): void {
  const skips = options.skip ?? {};
  const it = (title: string, fn: () => Promise<void>) => {
    const reason = skips[title];
    if (reason === undefined) vitestIt(title, fn);
    else vitestIt.skip(`${title} (skipped: ${reason})`, fn);
  };
  describe(`MessageQueue contract: ${name}`, () => {
    let subject: QueueContractSubject;
    let queue: MessageQueue;
    let dlq: DeadLetterQueue;
    let maxReceiveCount: number;

    beforeEach(async () => {
      subject = await factory();
      queue = subject.queue;
      dlq = subject.dlq;
      maxReceiveCount = subject.maxReceiveCount ?? 5;
    });
    afterEach(async () => subject?.close());

    const elapse = (seconds: number) => (subject.advanceTime ? subject.advanceTime(seconds) : sleep(seconds * 1000));

    /** SQS may return fewer messages than available: keep receiving until `count` arrived or time is up. */
    async function receiveAtLeast(count: number, options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
      const received: ReceivedMessage[] = [];
      for (let attempt = 0; attempt < 20 && received.length < count; attempt++) {
        const maxMessages = Math.min(options.maxMessages ?? 10, count - received.length);
        received.push(...(await queue.receive({ ...options, maxMessages, waitTimeMs: options.waitTimeMs ?? 100 })));
      }
      return received;
    }

    async function receiveOne(options: ReceiveOptions = {}): Promise<ReceivedMessage> {
      const [message, ...more] = await receiveAtLeast(1, options);
      expect(more).toEqual([]);
      if (!message) throw new Error("expected a message, received none");
      return message;
    }

    /** Receives the only message maxReceiveCount times without deleting it; the next receive dead-letters it. */
    async function exhaust(messageId: string, lastError: string): Promise<void> {
      for (let count = 1; count <= maxReceiveCount; count++) {
        const message = await receiveOne();
        expect(message).toMatchObject({ messageId, receiveCount: count });
        await queue.changeVisibility(message.receiptHandle, 0, `${lastError} (attempt ${count})`);
      }
      expect(await queue.receive({ maxMessages: 10 })).toEqual([]);
    }

    it("delivers a sent message with its body, attributes and receive count, and deletes it", async () => {
      const body = { kind: "test", text: "héllo", nested: { n: 1, list: [true, null] } };
      const [id] = await queue.send([{ body, attributes: { origin: "contract" } }]);
      const message = await receiveOne();
      expect(message).toMatchObject({ messageId: id, body, attributes: { origin: "contract" }, receiveCount: 1 });
      expect(message.receiptHandle).toEqual(expect.any(String));
      expect(message.sentAt).toBeInstanceOf(Date);
      expect(message.firstReceivedAt).toBeInstanceOf(Date);
      expect(await queue.deleteBatch([message.receiptHandle])).toEqual({
        successful: [message.receiptHandle],
        failed: [],
      });
      expect(await queue.receive({ maxMessages: 10 })).toEqual([]);
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    });

    it("delivers every message of a large send exactly once while none times out", async () => {
      const ids = await queue.send(Array.from({ length: 25 }, (_, index) => ({ body: { index } })));
      expect(new Set(ids).size).toBe(25);
      const received = await receiveAtLeast(25);
      expect(received.map((m) => m.messageId).sort()).toEqual([...ids].sort());
      const result = await queue.deleteBatch(received.map((m) => m.receiptHandle));
      expect(result.failed).toEqual([]);
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    });

    it("respects maxMessages on receive (default 1)", async () => {
      const ids = await queue.send(Array.from({ length: 7 }, (_, index) => ({ body: { index } })));
      expect((await queue.receive({ waitTimeMs: 100 })).length).toBeLessThanOrEqual(1);
      const seen = new Set<string>();
      for (let attempt = 0; attempt < 20 && seen.size < 6; attempt++) {
        const batch = await queue.receive({ maxMessages: 3, waitTimeMs: 100 });
        expect(batch.length).toBeLessThanOrEqual(3);
        for (const message of batch) seen.add(message.messageId);
      }
      expect(seen.size).toBe(6);
      expect(ids).toEqual(expect.arrayContaining([...seen]));
    });

    it("hides a received message until its visibility timeout, then redelivers it with a new receipt handle", async () => {
      const [id] = await queue.send([{ body: { n: 1 } }]);
      const first = await receiveOne({ visibilityTimeoutSeconds: 1 });
      expect(await queue.receive({ maxMessages: 10 })).toEqual([]);
      expect(await queue.depth()).toMatchObject({ visible: 0, inFlight: 1 });
      await elapse(1.2);
      const second = await receiveOne({ visibilityTimeoutSeconds: 30 });
      expect(second).toMatchObject({ messageId: id, receiveCount: 2, body: { n: 1 } });
      expect(second.receiptHandle).not.toBe(first.receiptHandle);
    });

    it("rejects a stale receipt handle on delete and keeps the message", async () => {
      const [id] = await queue.send([{ body: { n: 2 } }]);
      const first = await receiveOne({ visibilityTimeoutSeconds: 1 });
      await elapse(1.2);
      const second = await receiveOne({ visibilityTimeoutSeconds: 30 });
      expect(second.messageId).toBe(id);

      const stale = await queue.deleteBatch([first.receiptHandle]);
      expect(stale.successful).toEqual([]);
      expect(stale.failed).toEqual([
        { id: first.receiptHandle, code: "ReceiptHandleIsInvalid", message: expect.any(String) },
      ]);
      expect(await queue.depth()).toMatchObject({ inFlight: 1 });
      await expect(queue.changeVisibility(first.receiptHandle, 0)).rejects.toBeInstanceOf(ConflictError);

      const mixed = await queue.deleteBatch([first.receiptHandle, second.receiptHandle]);
      expect(mixed.successful).toEqual([second.receiptHandle]);
      expect(mixed.failed.map((f) => f.id)).toEqual([first.receiptHandle]);
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    });

    it("extends and shortens the visibility of a received message", async () => {
      const [id] = await queue.send([{ body: { n: 3 } }]);
      const first = await receiveOne({ visibilityTimeoutSeconds: 1 });
      await queue.changeVisibility(first.receiptHandle, 60);
      await elapse(1.2);
      expect(await queue.receive({ maxMessages: 10 })).toEqual([]);
      await queue.changeVisibility(first.receiptHandle, 0);
      const again = await receiveOne();
      expect(again).toMatchObject({ messageId: id, receiveCount: 2 });
      expect(await queue.deleteBatch([again.receiptHandle])).toMatchObject({ failed: [] });
      await expect(queue.changeVisibility(again.receiptHandle, 10)).rejects.toBeInstanceOf(ConflictError);
    });

    const sourceNote = options.noDeadLetterSource ? ` (source queue unknown: ${options.noDeadLetterSource})` : "";
    it(`moves a message received maxReceiveCount times to the dead-letter queue with its id and last error${sourceNote}`, async () => {
      const [id] = await queue.send([{ body: { n: 4 }, attributes: { origin: "contract" } }]);
      await exhaust(id!, "classification failed");
      const dead = await dlq.get(id!);
      expect(dead).toMatchObject({
        messageId: id,
        body: { n: 4 },
        attributes: { origin: "contract" },
        receiveCount: maxReceiveCount,
        lastError: `classification failed (attempt ${maxReceiveCount})`,
        sourceQueue: options.noDeadLetterSource ? null : queue.name,
      });
      expect(dead?.deadLetteredAt).toBeInstanceOf(Date);
      expect((await dlq.list()).map((d) => d.messageId)).toEqual([id]);
      expect(await dlq.depth()).toBe(1);
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
      expect(await dlq.get(randomUUID())).toBeNull();
    });

    it("lists dead letters oldest first", async () => {
      const [first] = await queue.send([{ body: { n: "first" } }]);
      await exhaust(first!, "boom");
      const [second] = await queue.send([{ body: { n: "second" } }]);
      await exhaust(second!, "bang");
      expect((await dlq.list()).map((d) => d.messageId)).toEqual([first, second]);
      expect((await dlq.list({ limit: 1 })).map((d) => d.messageId)).toEqual([first]);
    });

    it("redrives a dead letter back to its queue once, keeping its id", async () => {
      const [id] = await queue.send([{ body: { n: 5 } }]);
      await exhaust(id!, "timeout");
      const unknown = randomUUID();
      expect(await dlq.redrive({ messageIds: [id!, unknown] })).toEqual({ moved: [id], notFound: [unknown] });
      expect(await dlq.depth()).toBe(0);
      expect(await dlq.redrive({ messageIds: [id!] })).toEqual({ moved: [], notFound: [id] });
      const back = await receiveOne();
      expect(back).toMatchObject({ messageId: id, body: { n: 5 }, receiveCount: 1 });
      expect(await queue.deleteBatch([back.receiptHandle])).toMatchObject({ failed: [] });
    });

    it("resolves a dead letter's whole id from a unique prefix of 8, or 6 upper-case, characters", async () => {
      const [id] = await queue.send([{ body: { n: "prefix" } }]);
      await exhaust(id!, "boom");
      expect(await dlq.resolveId(id!.slice(0, 8))).toEqual([id]);
      expect(await dlq.resolveId(id!.slice(0, 6).toUpperCase())).toEqual([id]);
      expect(await dlq.resolveId(id!)).toEqual([id]);
    });

    it("resolves no id for an unknown prefix, a too-short one, or a message that is not dead", async () => {
      const [dead] = await queue.send([{ body: { n: "dead" } }]);
      await exhaust(dead!, "boom");
      const [alive] = await queue.send([{ body: { n: "alive" } }]);
      const unknown = [...dead!.slice(0, 8)].map((c) => (c === "0" ? "1" : "0")).join("");
      expect(await dlq.resolveId(unknown)).toEqual([]);
      expect(await dlq.resolveId(dead!.slice(0, 5))).toEqual([]);
      expect(await dlq.resolveId(alive!.slice(0, 8))).toEqual([]);
    });

    it("deletes dead letters by id for good, reporting the ids it does not hold", async () => {
      const [gone] = await queue.send([{ body: { n: "gone" } }]);
      await exhaust(gone!, "boom");
      const [kept] = await queue.send([{ body: { n: "kept" } }]);
      await exhaust(kept!, "bang");
      const unknown = randomUUID();
      expect(await dlq.delete([gone!, unknown])).toEqual({ deleted: [gone], notFound: [unknown] });
      expect(await dlq.get(gone!)).toBeNull();
      expect((await dlq.list()).map((d) => d.messageId)).toEqual([kept]);
      expect(await dlq.delete([gone!])).toEqual({ deleted: [], notFound: [gone] });
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    });

    it("redrives every dead letter when no ids are given", async () => {
      const [a] = await queue.send([{ body: { n: "a" } }]);
      await exhaust(a!, "x");
      const [b] = await queue.send([{ body: { n: "b" } }]);
      await exhaust(b!, "y");
      const result = await dlq.redrive();
      expect([...result.moved].sort()).toEqual([a, b].sort());
      expect(result.notFound).toEqual([]);
      expect(await queue.depth()).toMatchObject({ visible: 2 });
    });

    it("counts visible, in-flight and delayed messages, and does not deliver delayed ones", async () => {
      await queue.send([{ body: 1 }, { body: 2 }, { body: 3 }, { body: 4, delaySeconds: 120 }]);
      expect(await queue.depth()).toEqual({ visible: 3, inFlight: 0, delayed: 1 });
      const received = await receiveAtLeast(3);
      expect(received.map((m) => m.body).sort()).toEqual([1, 2, 3]);
      expect(await queue.receive({ maxMessages: 10 })).toEqual([]);
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 3, delayed: 1 });
      await queue.deleteBatch(received.map((m) => m.receiptHandle));
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
    });

    it("long-polls: waits for a message sent during the wait, and returns nothing when none comes", async () => {
      const started = Date.now();
      expect(await queue.receive({ maxMessages: 10, waitTimeMs: 300 })).toEqual([]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      const pending = queue.receive({ maxMessages: 10, waitTimeMs: 5_000 });
      await sleep(100);
      const [id] = await queue.send([{ body: "late" }]);
      const received = await pending;
      expect(received.map((m) => m.messageId)).toEqual([id]);
      expect(Date.now() - started).toBeLessThan(4_000);
    });
  });
}
