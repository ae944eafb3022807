import { describe, expect, it } from "vitest";
import { BatchingPublisher } from "../../../app/webhooks/batching-publisher.js";
import type { EventPublisher, PublishEntry, PublishResult } from "../../../sdk/ports/event-bus.js";

class CountingBus implements EventPublisher {
  calls: number[] = [];
  failIndexes = new Set<number>();
  throwNext = false;
  async publish(entries: readonly PublishEntry[]): Promise<PublishResult> {
    this.calls.push(entries.length);
    if (this.throwNext) {
      this.throwNext = false;
      throw new Error("database down");
    }
    return {
      eventIds: entries.map((e, i) => (this.failIndexes.has(i) ? null : `id-${(e.detail as { n: number }).n}`)),
      failed: [...this.failIndexes]
        .filter((i) => i < entries.length)
        .map((index) => ({ index, errorCode: "X", errorMessage: "bad" })),
    };
  }
}

const entry = (n: number): PublishEntry => ({ source: "feedback.test", detailType: "FeedbackReceived", detail: { n } });

describe("BatchingPublisher", () => {
  it("combines concurrent publishes into one call and gives each caller its own ids", async () => {
    const bus = new CountingBus();
    const batching = new BatchingPublisher(bus);
    const results = await Promise.all(Array.from({ length: 30 }, (_, n) => batching.publish([entry(n)])));
    expect(bus.calls.reduce((a, b) => a + b, 0)).toBe(30);
    expect(bus.calls.length).toBeLessThan(5);
    expect(results).toEqual(results.map((_, n) => ({ eventIds: [`id-${n}`], failed: [] })));
  });

  it("re-indexes failures to the caller's entries, and rejects every caller when the call throws", async () => {
    const bus = new CountingBus();
    bus.failIndexes.add(2);
    const batching = new BatchingPublisher(bus);
    const [a, b] = await Promise.all([batching.publish([entry(0), entry(1)]), batching.publish([entry(2), entry(3)])]);
    expect(a.failed).toEqual([]);
    expect(b).toEqual({ eventIds: [null, "id-3"], failed: [{ index: 0, errorCode: "X", errorMessage: "bad" }] });
    bus.throwNext = true;
    const outcomes = await Promise.allSettled([batching.publish([entry(5)]), batching.publish([entry(6)])]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
  });
});
