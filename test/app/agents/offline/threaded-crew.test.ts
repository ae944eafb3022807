import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createOfflineAgents } from "../../../../app/agents/offline/index.js";
import { createThreadedOfflineAgents, type ThreadedAgents } from "../../../../app/agents/offline/threaded-crew.js";
import type { TriageResult } from "../../../../sdk/ports/agents.js";
import { repoRoot, review, seededConfig } from "../factories.js";

const run = promisify(execFile);
const items = [
  review("The app crashes every time I open the camera on my Pixel 8, version 4.2.0"),
  review("Please add a dark mode, my eyes hurt at night"),
  review("Love it, five stars"),
];
/** Timings differ from run to run; everything else a crew decides must not. */
const withoutTimings = (results: TriageResult[]) =>
  results.map((r) => ({ ...r, logs: r.logs.map((log) => ({ ...log, durationMs: 0 })) }));

async function untilThreaded(crew: ThreadedAgents): Promise<void> {
  while (!crew.usingThread()) {
    await crew.triage(items.slice(0, 1), seededConfig());
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("the offline crew in a worker thread", () => {
  const crews: ThreadedAgents[] = [];
  const threaded = (options: Parameters<typeof createThreadedOfflineAgents>[0] = {}) => {
    const crew = createThreadedOfflineAgents(options);
    crews.push(crew);
    return crew;
  };
  afterEach(async () => {
    await Promise.all(crews.splice(0).map((crew) => crew.close()));
  });

  it("decides what the crew in this thread decides", async () => {
    const crew = threaded({ startAfterItems: 0 });
    await untilThreaded(crew);
    const expected = await createOfflineAgents().triage(items, seededConfig());
    expect(withoutTimings(await crew.triage(items, seededConfig()))).toEqual(withoutTimings(expected));
  }, 30_000);

  it("triages in this thread until it has triaged enough items for a thread to pay", async () => {
    const crew = threaded({ startAfterItems: 1_000 });
    for (let i = 0; i < 5; i++) expect(await crew.triage(items, seededConfig())).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(crew.usingThread()).toBe(false);
  });

  it("answers at once while the thread is still loading the crew", async () => {
    const crew = threaded({ startAfterItems: 0 });
    expect(await crew.triage(items, seededConfig())).toHaveLength(3);
    expect(crew.usingThread()).toBe(false);
  });

  it("says once when the thread cannot start, and triages in this thread instead", async () => {
    const errors: Error[] = [];
    const crew = threaded({
      startAfterItems: 0,
      threadModule: new URL("./no-such-thread.js", import.meta.url),
      onThreadError: (error) => errors.push(error),
    });
    for (let i = 0; i < 5; i++) {
      expect(await crew.triage(items, seededConfig())).toHaveLength(3);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(errors).toHaveLength(1);
    expect(crew.usingThread()).toBe(false);
  });

  it("does not keep the process alive once idle, even when never closed", async () => {
    const script = `
      const { createThreadedOfflineAgents } = await import(${JSON.stringify(`${repoRoot}/dist/app/agents/offline/threaded-crew.js`)});
      const crew = createThreadedOfflineAgents({ startAfterItems: 0 });
      const item = { sourceType: "app_store", sourceId: "1", channel: "review", text: "It crashes", metadata: {}, contentHash: "h" };
      const config = { confidenceThreshold: 0.7, priorityRules: { keywords: [], defaults: {} }, agents: {} };
      while (!crew.usingThread()) { await crew.triage([item], config); await new Promise((r) => setTimeout(r, 25)); }
      console.log((await crew.triage([item], config)).length);
    `;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
      timeout: 20_000,
      env: { PATH: process.env.PATH },
    });
    expect(stdout.trim()).toBe("1");
  }, 30_000);
});
