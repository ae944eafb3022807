import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { awaitStackWorker, readStackBaseline } from "../../../app/ingest/await-stack-worker.js";
import { drainQueue } from "../../../app/worker/worker-service.js";
import { loadRuntimeConfig } from "../../../sdk/config/runtime.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeMessageBody } from "../../support/factories.js";

/** The deployed stack's worker, played by the real pipeline over the same queue and database, started later. */
const stackWorker = (t: TestBackend) =>
  drainQueue(t.backend, { agents: "offline", agentsConfig: loadRuntimeConfig({}).agents });

describe("ingest --wait against a deployed stack waits for the stack's worker", () => {
  let t: TestBackend;
  beforeEach(async () => {
    t = await openTestBackend();
  });
  afterEach(() => t.close());

  const enqueue = async (texts: string[]) => {
    await t.backend.queue.send(texts.map((text) => ({ body: makeMessageBody(makeItem({ text })) })));
    return texts.length;
  };

  it("returns once the queue is empty, reporting the tickets made meanwhile by priority and category", async () => {
    const waiting = awaitStackWorker(t.backend, await readStackBaseline(t.backend), {
      until: enqueue(["The app crashes when I open the camera.", "Please add a dark mode.", "Love it!"]),
      pollMs: 20,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await stackWorker(t);
    const processed = await waiting;
    expect(processed).toMatchObject({ ticketsCreated: 3, duplicates: 0, failed: 0 });
    expect(Object.values(processed.byCategory).reduce((a, b) => a + b, 0)).toBe(3);
    expect(Object.values(processed.byPriority).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it("counts the items that made no new ticket as duplicates and the dead letters as failed", async () => {
    await enqueue(["Sync fails on Android 15."]);
    await stackWorker(t);
    const before = await readStackBaseline(t.backend);
    const body = makeMessageBody(makeItem({ text: "Sync fails on Android 15." }));
    const again = (async () => {
      await t.backend.queue.send([{ body }, { body }, { body: { kind: "something-else" } }]);
      return 3;
    })();
    const waiting = awaitStackWorker(t.backend, before, { until: again, pollMs: 20 });
    await again;
    await stackWorker(t);
    expect(await waiting).toMatchObject({ ticketsCreated: 1, duplicates: 1, failed: 1 });
  });

  it("counts the tickets the stack made before the ingest finished enqueueing", async () => {
    const before = await readStackBaseline(t.backend);
    const enqueuedAndTicketed = (async () => {
      const n = await enqueue(["Checkout button does nothing.", "Add a widget for the home screen."]);
      await stackWorker(t);
      return n;
    })();
    const processed = await awaitStackWorker(t.backend, before, { until: enqueuedAndTicketed, pollMs: 20 });
    expect(processed).toMatchObject({ ticketsCreated: 2, duplicates: 0, failed: 0 });
  });

  it("stops waiting when interrupted, the stack going on without it", async () => {
    const stop = new AbortController();
    const waiting = awaitStackWorker(t.backend, await readStackBaseline(t.backend), {
      until: enqueue(["Export to PDF is blank."]),
      signal: stop.signal,
    });
    setTimeout(() => stop.abort(), 50);
    expect(await waiting).toMatchObject({ ticketsCreated: 0, duplicates: 0 });
    expect((await t.backend.queue.depth()).visible).toBe(1);
  });
});
