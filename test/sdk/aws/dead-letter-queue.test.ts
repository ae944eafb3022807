import { describe, expect, it } from "vitest";
import { SqsDeadLetterQueue } from "../../../sdk/aws/dead-letter-queue.js";
import { MemoryFailureLog } from "../../../sdk/aws/failure-log.js";
import { SqsQueue } from "../../../sdk/aws/queue.js";
import { BackendError } from "../../../sdk/errors.js";
import { FakeSqs } from "./fakes/fake-sqs.js";

const noDelay = { baseDelayMs: 0, sleep: async () => undefined };

async function deadLetters(count: number, options: { withLog?: boolean } = {}) {
  const sqs = new FakeSqs();
  const dlqUrl = sqs.createQueue("fb-dlq");
  const queueUrl = sqs.createQueue("fb", { deadLetterQueue: "fb-dlq", maxReceiveCount: 2 });
  const failureLog = options.withLog === false ? undefined : new MemoryFailureLog();
  const queue = new SqsQueue(sqs.client, { queueUrl, failureLog, retry: noDelay });
  const dlq = new SqsDeadLetterQueue(sqs.client, {
    dlqUrl,
    sourceQueue: queue,
    failureLog,
    peekWaitSeconds: 0,
    moveTaskPollMs: 5,
  });
  const ids = await queue.send(
    Array.from({ length: count }, (_, index) => ({ body: { index }, attributes: { origin: "dlq-test" } })),
  );
  for (let round = 1; round <= 2; round++) {
    const received = await queue.receive({ maxMessages: count });
    for (const message of received) await queue.changeVisibility(message.receiptHandle, 0, `failed round ${round}`);
  }
  expect(await queue.receive({ maxMessages: 10 })).toEqual([]);
  return { sqs, queue, dlq, ids, queueUrl, dlqUrl };
}

describe("SqsDeadLetterQueue", () => {
  it("lists without consuming: peeked messages are released at once and stay in the DLQ", async () => {
    const { sqs, dlq, ids, dlqUrl } = await deadLetters(12);
    const letters = await dlq.list({ limit: 100 });
    expect(letters.map((l) => l.messageId).sort()).toEqual([...ids].sort());
    expect(letters[0]).toMatchObject({
      receiveCount: 2,
      lastError: "failed round 2",
      sourceQueue: "fb",
      attributes: { origin: "dlq-test" },
    });
    expect(await dlq.depth()).toBe(12);
    expect(sqs.messages(dlqUrl).every((m) => m.visibleAt <= sqs.now())).toBe(true);
    const peeks = sqs.calls.filter(
      (c) => c.command === "ReceiveMessage" && (c.input as { QueueUrl: string }).QueueUrl === dlqUrl,
    );
    expect(peeks.every((c) => (c.input as { VisibilityTimeout: number }).VisibilityTimeout === 30)).toBe(true);
    expect(
      sqs.calls.some(
        (c) => c.command === "DeleteMessageBatch" && (c.input as { QueueUrl: string }).QueueUrl === dlqUrl,
      ),
    ).toBe(false);
    // A second listing sees the same messages.
    expect((await dlq.list()).length).toBe(12);
  });

  it("falls back to ApproximateReceiveCount less the peek when no failure was recorded", async () => {
    const { dlq } = await deadLetters(1, { withLog: false });
    const [letter] = await dlq.list();
    expect(letter).toMatchObject({ receiveCount: 2, lastError: null, deadLetteredAt: null, sourceQueue: "fb" });
  });

  it("replays chosen messages: receive from the DLQ, send to the source queue, then delete", async () => {
    const { sqs, queue, dlq, ids, dlqUrl } = await deadLetters(3);
    const result = await dlq.redrive({ messageIds: [ids[1]!, "missing-id"] });
    expect(result).toEqual({ moved: [ids[1]], notFound: ["missing-id"] });
    const order = sqs.calls.map((c) => c.command).filter((c) => ["SendMessageBatch", "DeleteMessageBatch"].includes(c));
    expect(order.slice(-2)).toEqual(["SendMessageBatch", "DeleteMessageBatch"]);
    expect(sqs.messages(dlqUrl)).toHaveLength(2);
    const [back] = await queue.receive({ maxMessages: 10 });
    expect(back).toMatchObject({
      messageId: ids[1],
      body: { index: 1 },
      attributes: { origin: "dlq-test" },
      receiveCount: 1,
    });
  });

  it("redrives the whole DLQ with StartMessageMoveTask and follows it with ListMessageMoveTasks", async () => {
    const { sqs, queue, dlq, ids } = await deadLetters(4);
    const result = await dlq.redrive();
    expect([...result.moved].sort()).toEqual([...ids].sort());
    const start = sqs.calls.find((c) => c.command === "StartMessageMoveTask")?.input;
    expect(start).toEqual({
      SourceArn: "arn:aws:sqs:eu-west-1:123456789012:fb-dlq",
      DestinationArn: "arn:aws:sqs:eu-west-1:123456789012:fb",
    });
    expect(sqs.calls.some((c) => c.command === "ListMessageMoveTasks")).toBe(true);
    expect(await dlq.depth()).toBe(0);
    expect(await queue.depth()).toMatchObject({ visible: 4 });
    const [task] = await dlq.moveTasks();
    expect(task).toMatchObject({
      status: "COMPLETED",
      approximateNumberOfMessagesMoved: 4,
      approximateNumberOfMessagesToMove: 4,
    });
  });

  it("starts no move task for an empty DLQ", async () => {
    const sqs = new FakeSqs();
    const dlqUrl = sqs.createQueue("empty-dlq");
    const queue = new SqsQueue(sqs.client, { queueUrl: sqs.createQueue("src", { deadLetterQueue: "empty-dlq" }) });
    const dlq = new SqsDeadLetterQueue(sqs.client, { dlqUrl, sourceQueue: queue, peekWaitSeconds: 0 });
    expect(await dlq.redrive()).toEqual({ moved: [], notFound: [] });
    expect(sqs.calls.some((c) => c.command === "StartMessageMoveTask")).toBe(false);
  });

  it("reports a failed move task as an error with its reason", async () => {
    const { sqs, dlq } = await deadLetters(1);
    sqs.mock
      .on((await import("@aws-sdk/client-sqs")).ListMessageMoveTasksCommand)
      .resolves({ Results: [{ Status: "FAILED", FailureReason: "AccessDenied on destination" }] });
    const error = await dlq.redrive().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(/move task out of fb-dlq failed: AccessDenied on destination/);
  });
});
