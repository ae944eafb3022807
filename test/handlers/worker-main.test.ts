import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqsDeadLetterQueue } from "../../sdk/aws/dead-letter-queue.js";
import { SqsQueue } from "../../sdk/aws/queue.js";
import type { Backend } from "../../sdk/backend.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { LocalArtifactStore } from "../../sdk/local/artifacts.js";
import { LocalDeliveryStore } from "../../sdk/local/deliveries.js";
import { LocalMetricsSink } from "../../sdk/local/metrics.js";
import { memoryLog } from "../../sdk/log.js";
import type { EventPublisher } from "../../sdk/ports/event-bus.js";
import { PrismaConfigurationStore } from "../../sdk/store/configuration-store.js";
import { SqlTicketInsights } from "../../sdk/store/ticket-read-model.js";
import { TicketStore } from "../../sdk/store/ticket-store.js";
import { startWorkerMain } from "../../worker/main.js";
import { FakeSqs } from "../aws/fakes/fake-sqs.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { makeItem, makeMessageBody } from "../support/factories.js";
import { prismaFor } from "../support/prisma.js";
import { StubAgents } from "../support/stub-agents.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

/** An AWS-shaped backend: SQS (in-memory fake) for the queue, the test database for tickets. */
function awsLikeBackend(sqs: FakeSqs) {
  const dlqUrl = sqs.createQueue(`w-dlq-${Date.now()}`);
  const queueUrl = sqs.createQueue(`w-${Date.now()}`, {
    deadLetterQueue: dlqUrl.split("/").pop(),
    maxReceiveCount: 3,
    visibilityTimeout: 30,
  });
  const queue = new SqsQueue(sqs.client, { queueUrl });
  const prisma = prismaFor(db.sql);
  let closed = false;
  const backend: Backend = {
    description: "test AWS-like backend",
    kind: "aws",
    isOwner: false,
    bus: {} as EventPublisher,
    queue,
    dlq: new SqsDeadLetterQueue(sqs.client, { dlqUrl, sourceQueue: queue, peekWaitSeconds: 0 }),
    tickets: new TicketStore(
      { prisma, sql: db.sql },
      {
        afterCommit: async (handles) => {
          await queue.deleteBatch(handles);
        },
      },
    ),
    insights: new SqlTicketInsights(db.sql),
    deliveries: new LocalDeliveryStore(db.sql),
    configuration: new PrismaConfigurationStore(prisma),
    metrics: new LocalMetricsSink(db.sql),
    artifacts: new LocalArtifactStore("/tmp/ft-worker-main-artifacts"),
    close: async () => {
      closed = true;
      await prisma.$disconnect();
    },
  };
  return { backend, queue, queueUrl, isClosed: () => closed };
}

const config = loadRuntimeConfig({
  FEEDBACK_WORKER_WAIT_MS: "200",
  FEEDBACK_WORKER_BATCH_SIZE: "10",
  FEEDBACK_SHUTDOWN_GRACE_MS: "300",
});
const ticketCount = async () =>
  (await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM tickets")).rows[0]!.n;

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
    const { backend, queue, queueUrl, isClosed } = awsLikeBackend(sqs);
    const before = await ticketCount();
    await queue.send(Array.from({ length: 12 }, () => ({ body: makeMessageBody() })));
    const log = memoryLog();
    const worker = await startWorkerMain({
      config,
      openBackend: async () => backend,
      agents: new StubAgents(),
      healthPort: 0,
      log,
    });
    await waitFor(async () => (await ticketCount()) === before + 12);
    const health = await fetch(`http://127.0.0.1:${worker.healthPort}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    expect((await fetch(`http://127.0.0.1:${worker.healthPort}/other`)).status).toBe(404);
    const totals = await worker.stop("test");
    expect(totals).toMatchObject({ created: 12, failed: 0 });
    expect(sqs.messages(queueUrl)).toEqual([]);
    expect(isClosed()).toBe(true);
    await expect(fetch(`http://127.0.0.1:${worker.healthPort}/health`)).rejects.toThrow();
    expect(log.entries.map((e) => e.event)).toEqual(
      expect.arrayContaining(["worker.started", "worker.batch", "worker.stopping", "worker.stopped"]),
    );
  });

  it("releases in-flight messages when the batch in hand outlives the grace period", async () => {
    const sqs = new FakeSqs();
    const { backend, queue, queueUrl } = awsLikeBackend(sqs);
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
