import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { PipelineDeps } from "../../../app/worker/pipeline.js";
import { runWorker } from "../../../app/worker/run-worker.js";
import type { MessageQueue, ReceivedMessage } from "../../../sdk/ports/queue.js";
import type { TriageConfiguration } from "../../../sdk/schemas/configuration.js";
import { makeMessageBody } from "../../support/factories.js";
import { StubAgents } from "../../support/stub-agents.js";

/**
 * Ports that answer without any I/O, as embedded PGlite does in the owner process: every await in the
 * loop is then a promise continuation, and nothing else (timers, sockets, signal handlers) would run
 * unless the loop gives way.
 */
function busyDeps(messages: number) {
  const waiting: ReceivedMessage[] = Array.from({ length: messages }, () => ({
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body: makeMessageBody(),
    attributes: {},
    receiveCount: 1,
    sentAt: new Date(),
    firstReceivedAt: new Date(),
  }));
  const released: string[] = [];
  const queue = {
    name: "in-memory",
    receive: async ({ maxMessages = 1 } = {}) => waiting.splice(0, maxMessages),
    changeVisibility: async (handle: string, seconds: number) => {
      if (seconds === 0) released.push(handle);
    },
    interruptReceives: () => undefined,
  } as unknown as MessageQueue;
  const deps: PipelineDeps = {
    queue,
    agents: new StubAgents(),
    configuration: { load: async () => ({}) as TriageConfiguration } as PipelineDeps["configuration"],
    tickets: {
      commitTriaged: async (entries) => ({
        created: entries.map((e) => e.ticket.id),
        duplicates: [],
        owned: new Set(entries.map((e) => e.receiptHandle)),
      }),
      recordFailure: async () => undefined,
    },
  };
  return { deps, waiting, released };
}

describe("runWorker", () => {
  it("gives the event loop a turn between batches, so a stop from a signal handler or timer is seen", async () => {
    const { deps, waiting, released } = busyDeps(2_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 0);
    const totals = await runWorker(deps, { batchSize: 10, once: true, signal: controller.signal });
    expect(totals.received).toBeLessThan(100);
    // What was received ahead of the stop is released, not processed.
    expect(totals.received + released.length + waiting.length).toBe(2_000);
  });

  it("releases what it received after the stop, and interrupts the long poll in progress", async () => {
    const { deps, released } = busyDeps(5);
    const controller = new AbortController();
    let interrupted = 0;
    deps.queue.interruptReceives = () => {
      interrupted += 1;
    };
    const receive = deps.queue.receive.bind(deps.queue);
    deps.queue.receive = (async (options) => {
      const messages = await receive(options);
      controller.abort();
      return messages;
    }) as MessageQueue["receive"];
    const totals = await runWorker(deps, { batchSize: 10, signal: controller.signal });
    expect(totals.received).toBe(0);
    expect(released).toHaveLength(5);
    expect(interrupted).toBe(1);
  });

  it("triages the next batch while the previous one commits", async () => {
    const { deps } = busyDeps(30);
    const events: string[] = [];
    const stub = new StubAgents();
    deps.agents = {
      name: "recording",
      triage: async (items) => {
        events.push("triage");
        return stub.triage(items);
      },
    };
    const commit = deps.tickets.commitTriaged;
    deps.tickets.commitTriaged = async (entries) => {
      events.push("commit started");
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push("commit done");
      return commit(entries);
    };
    const totals = await runWorker(deps, { batchSize: 10, once: true });
    expect(totals).toMatchObject({ received: 30, created: 30, batches: 3 });
    expect(events.slice(0, 4)).toEqual(["triage", "commit started", "triage", "commit done"]);
  });

  it("commits one batch at a time, in the order received", async () => {
    const { deps } = busyDeps(40);
    let committing = 0;
    let most = 0;
    const order: number[] = [];
    const commit = deps.tickets.commitTriaged;
    deps.tickets.commitTriaged = async (entries) => {
      committing += 1;
      most = Math.max(most, committing);
      order.push(order.length);
      await new Promise((resolve) => setTimeout(resolve, 5));
      committing -= 1;
      return commit(entries);
    };
    const batches: number[] = [];
    await runWorker(deps, { batchSize: 10, once: true, onBatch: (outcome) => batches.push(outcome.created) });
    expect(most).toBe(1);
    expect(batches).toEqual([10, 10, 10, 10]);
  });

  it("stops with a failed commit's error, making the batches it held behind that commit visible again", async () => {
    const { deps, released, waiting } = busyDeps(30);
    const committed: string[] = [];
    deps.tickets.commitTriaged = async (entries) => {
      committed.push(...entries.map((e) => e.receiptHandle));
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error("database went away");
    };
    await expect(runWorker(deps, { batchSize: 10, once: true })).rejects.toThrow("database went away");
    // The failed batch comes back at its visibility timeout, as before; what was received behind it comes back
    // at once (or was never received).
    expect(committed).toHaveLength(10);
    expect(released.some((handle) => committed.includes(handle))).toBe(false);
    expect(released.length + waiting.length).toBe(20);
  });

  it("fails with the connection's error, not an unhandled rejection, when the receive asked for beside a batch in hand fails first", async () => {
    const { deps } = busyDeps(30);
    const lost = new Error("the owner went away");
    const receive = deps.queue.receive.bind(deps.queue);
    let receives = 0;
    deps.queue.receive = async (options) => {
      receives += 1;
      if (receives > 1) throw lost;
      return receive(options);
    };
    deps.tickets.commitTriaged = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw lost;
    };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      await expect(runWorker(deps, { batchSize: 10, once: true })).rejects.toBe(lost);
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });
});
