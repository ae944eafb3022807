import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PipelineDeps, processBatch } from "../../../app/worker/pipeline.js";
import { runWorker } from "../../../app/worker/run-worker.js";
import type { DeadLetterQueue, MessageQueue } from "../../../sdk/ports/queue.js";
import { makeItem, makeMessageBody } from "../../support/factories.js";
import { openPipelineFixture, type PipelineFixture } from "../../support/pipeline-fixture.js";
import { StubAgents } from "../../support/stub-agents.js";

describe("worker pipeline", () => {
  let fixture: PipelineFixture;
  let queue: MessageQueue;
  let dlq: DeadLetterQueue;
  let agents: StubAgents;
  let deps: PipelineDeps;

  beforeEach(async () => {
    agents = new StubAgents();
    fixture = await openPipelineFixture({ agents, retryDelaySeconds: () => 0 });
    ({ queue, dlq, deps } = fixture);
  });
  afterEach(() => fixture.close());

  const ticketCount = () => fixture.ticketCount();

  it("writes a ticket with its processing log and acknowledges the message", async () => {
    await queue.send([{ body: makeMessageBody() }]);
    const outcome = await processBatch(deps, await queue.receive({ maxMessages: 10 }));
    expect(outcome.created).toBe(1);
    expect(await ticketCount()).toBe(1);
    const logs = await fixture.db.sql.query(
      "SELECT s->>'agent' AS agent FROM processing_logs, jsonb_array_elements(steps) s WHERE ticket_id IS NOT NULL",
    );
    expect(logs.rows).toEqual([{ agent: "stub" }]);
    expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("makes no second ticket when the same item is delivered again", async () => {
    const body = makeMessageBody();
    await queue.send([{ body }, { body }]);
    const messages = await queue.receive({ maxMessages: 10 });
    expect(messages).toHaveLength(2);
    const outcome = await processBatch(deps, messages);
    expect(outcome.created + outcome.duplicates).toBe(2);
    expect(await ticketCount()).toBe(1);
  });

  it("gives one ticket per item when every message is delivered twice to concurrent workers", async () => {
    const bodies = Array.from({ length: 200 }, () => makeMessageBody());
    await queue.send([...bodies, ...bodies].map((body) => ({ body })));
    await Promise.all([1, 2, 3].map(() => runWorker(deps, { once: true, batchSize: 25 })));
    expect(await ticketCount()).toBe(200);
  });

  it("rejects the late write of a worker whose visibility timeout expired", async () => {
    await queue.send([{ body: makeMessageBody() }]);
    const [stale] = await queue.receive({ visibilityTimeoutSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const [current] = await queue.receive();
    expect(current?.messageId).toBe(stale?.messageId);
    const late = await processBatch(deps, [stale!]);
    expect(late).toMatchObject({ created: 0, lateWrites: 1 });
    expect(await ticketCount()).toBe(0);
    const onTime = await processBatch(deps, [current!]);
    expect(onTime.created).toBe(1);
  });

  it("releases a failing item for retry with its error, then dead-letters it after maxReceiveCount", async () => {
    await queue.send([{ body: makeMessageBody(makeItem({ text: "POISON pill" })) }]);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const messages = await queue.receive();
      expect(messages[0]?.receiveCount).toBe(attempt);
      const outcome = await processBatch(deps, messages);
      expect(outcome.failed[0]?.error).toMatch(/POISON in text/);
    }
    expect(await queue.receive()).toEqual([]);
    const [letter] = await dlq.list();
    expect(letter).toMatchObject({ receiveCount: 5, lastError: expect.stringMatching(/POISON/) });
  });

  it("fails a poison item alone: the rest of its batch becomes tickets", async () => {
    await queue.send([
      { body: makeMessageBody(makeItem({ text: "POISON pill" })) },
      { body: makeMessageBody() },
      { body: makeMessageBody() },
    ]);
    const outcome = await processBatch(deps, await queue.receive({ maxMessages: 10 }));
    expect(outcome.created).toBe(2);
    expect(outcome.failed).toHaveLength(1);
  });

  it("ends 990 valid and 10 poison items in 990 tickets and 10 dead letters, then 10 more tickets after a fix and replay", async () => {
    const bodies = Array.from({ length: 1000 }, (_, i) =>
      makeMessageBody(makeItem({ text: i % 100 === 7 ? `POISON item ${i}` : `Crash number ${i} on login` })),
    );
    await queue.send(bodies.map((body) => ({ body })));
    await drain();
    expect(await ticketCount()).toBe(990);
    const letters = await dlq.list({ limit: 100 });
    expect(letters).toHaveLength(10);
    expect(letters.every((l) => l.receiveCount === 5 && /POISON/.test(l.lastError ?? ""))).toBe(true);

    agents.poisoned = false;
    const replay = await dlq.redrive();
    expect(replay.moved).toHaveLength(10);
    await drain();
    expect(await ticketCount()).toBe(1000);
    expect(await dlq.depth()).toBe(0);

    await dlq.redrive({ messageIds: [letters[0]!.messageId] });
    expect(await ticketCount()).toBe(1000);
  });

  it("rejects a message whose body is not a feedback message, keeping it for the DLQ", async () => {
    await queue.send([{ body: { hello: "world" } }]);
    const outcome = await processBatch(deps, await queue.receive());
    expect(outcome.failed[0]?.error).toMatch(/Invalid message body/);
    expect((await queue.depth()).visible + (await queue.depth()).delayed).toBe(1);
  });

  it("releases received messages at once when stopped before processing them", async () => {
    await queue.send([{ body: makeMessageBody() }]);
    const controller = new AbortController();
    const slowQueue = Object.create(queue) as MessageQueue;
    slowQueue.receive = (async (options) => {
      const messages = await queue.receive(options);
      controller.abort();
      return messages;
    }) as MessageQueue["receive"];
    await runWorker({ ...deps, queue: slowQueue }, { signal: controller.signal });
    expect(await queue.depth()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect(await ticketCount()).toBe(0);
  });

  async function drain() {
    for (let round = 0; round < 20; round++) {
      await runWorker(deps, { once: true, batchSize: 100 });
      const depth = await queue.depth();
      if (depth.visible + depth.inFlight + depth.delayed === 0) return;
    }
  }
});
