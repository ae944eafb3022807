import { afterEach, describe, expect, it, vi } from "vitest";
import { SqsDeadLetterQueue } from "../../../sdk/aws/dead-letter-queue.js";
import { SqsQueue } from "../../../sdk/aws/queue.js";
import { loadRuntimeConfig } from "../../../sdk/config/runtime.js";
import { memoryLog } from "../../../sdk/log.js";
import { startWorkerMain } from "../../../worker/main.js";
import { FakeSqs } from "../../sdk/aws/fakes/fake-sqs.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeMessageBody } from "../../support/factories.js";
import { StubAgents } from "../../support/stub-agents.js";

let fixture: TestBackend | undefined;
afterEach(async () => fixture?.close());

/** An AWS-shaped backend: queue and DLQ on SQS (in-memory fake), acked after commit; tickets in the test database. */
async function openAwsLikeBackend(sqs: FakeSqs) {
  const dlqUrl = sqs.createQueue(`w-dlq-${Date.now()}`);
  const queueUrl = sqs.createQueue(`w-${Date.now()}`, {
    deadLetterQueue: dlqUrl.split("/").pop(),
    maxReceiveCount: 3,
    visibilityTimeout: 30,
  });
  const queue = new SqsQueue(sqs.client, { queueUrl });
  fixture = await openTestBackend({
    kind: "aws",
    isOwner: false,
    queue,
    dlq: new SqsDeadLetterQueue(sqs.client, { dlqUrl, sourceQueue: queue, peekWaitSeconds: 0 }),
    ack: "after-commit",
  });
  const { backend, db } = fixture;
  const ticketCount = async () =>
    (await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM tickets")).rows[0]!.n;
  return { backend, queue, queueUrl, ticketCount, close: vi.spyOn(backend, "close") };
}

const config = loadRuntimeConfig({
  FEEDBACK_WORKER_WAIT_MS: "200",
  FEEDBACK_WORKER_BATCH_SIZE: "10",
  FEEDBACK_SHUTDOWN_GRACE_MS: "300",
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("worker/main.ts (the Fargate entry point)", () => {
  it("processes the queue, answers /health, and stops gracefully, closing everything", async () => {
    const sqs = new FakeSqs();
    const { backend, queue, queueUrl, ticketCount, close } = await openAwsLikeBackend(sqs);
    await queue.send(Array.from({ length: 12 }, () => ({ body: makeMessageBody() })));
    const log = memoryLog();
    const worker = await startWorkerMain({
      config,
      openBackend: async () => backend,
      agents: new StubAgents(),
      healthPort: 0,
      log,
    });
    await waitFor(async () => (await ticketCount()) === 12);
    const health = await fetch(`http://127.0.0.1:${worker.healthPort}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    expect((await fetch(`http://127.0.0.1:${worker.healthPort}/other`)).status).toBe(404);
    const totals = await worker.stop("test");
    expect(totals).toMatchObject({ created: 12, failed: 0 });
    expect(sqs.messages(queueUrl)).toEqual([]);
    expect(close).toHaveBeenCalled();
    await expect(fetch(`http://127.0.0.1:${worker.healthPort}/health`)).rejects.toThrow();
    expect(log.entries.map((e) => e.event)).toEqual(
      expect.arrayContaining(["worker.started", "worker.batch", "worker.stopping", "worker.stopped"]),
    );
  });

  it("attaches an e-mail reply to the ticket of its thread, as the CLI's worker does", async () => {
    const sqs = new FakeSqs();
    const { backend, queue } = await openAwsLikeBackend(sqs);
    const mail = (id: string, inReplyTo: string | null) =>
      makeMessageBody(
        makeItem({
          sourceType: "email",
          sourceId: `email:${id}`,
          channel: "email",
          text: inReplyTo ? "Still broken after the update." : "Sync stopped working on my tablet.",
          metadata: { email: { messageId: id, inReplyTo, references: inReplyTo ? [inReplyTo] : [] } },
        }),
      );
    await queue.send([
      { body: mail("root@example.com", null) },
      { body: mail("reply@example.com", "root@example.com") },
    ]);
    const worker = await startWorkerMain({
      config,
      openBackend: async () => backend,
      agents: new StubAgents(),
      healthPort: 0,
      log: memoryLog(),
    });
    const tickets = () =>
      fixture!.db.sql.query<{ source_id: string; merged_into: string | null; reach: number }>(
        "SELECT source_id, merged_into::text, reach FROM tickets ORDER BY source_id",
      );
    // The attacher's periodic pass (every 2 s) folds the reply in while the worker runs.
    await waitFor(async () => (await tickets()).rows.some((t) => t.merged_into !== null));
    const [reply, root] = (await tickets()).rows;
    await worker.stop("test");
    expect(reply).toMatchObject({ source_id: "email:reply@example.com", merged_into: expect.any(String) });
    expect(root).toMatchObject({ source_id: "email:root@example.com", merged_into: null, reach: 2 });
  });

  it("releases in-flight messages when the batch in hand outlives the grace period", async () => {
    const sqs = new FakeSqs();
    const { backend, queue, queueUrl } = await openAwsLikeBackend(sqs);
    await queue.send([{ body: makeMessageBody(makeItem({ text: "slow item" })) }]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const agents = new StubAgents();
    let started = false;
    const slow = {
      name: "slow",
      triage: async (...args: Parameters<StubAgents["triage"]>) => {
        started = true;
        await gate;
        return agents.triage(...args);
      },
    };
    const log = memoryLog();
    const worker = await startWorkerMain({
      config,
      openBackend: async () => backend,
      agents: slow,
      healthPort: 0,
      log,
    });
    await waitFor(async () => started);
    const stopped = worker.stop("SIGTERM");
    expect((await fetch(`http://127.0.0.1:${worker.healthPort}/health`)).status).toBe(503);
    await waitFor(async () => log.entries.some((e) => e.event === "worker.released"));
    // Visible again at once for another worker, well before its 30 s visibility timeout.
    expect(sqs.messages(queueUrl)[0]!.visibleAt).toBeLessThanOrEqual(sqs.now());
    release();
    await stopped;
  });
});
