import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../../sdk/errors.js";
import type { MetricsSink } from "../../../sdk/ports/metrics.js";

export interface MetricsContractSubject {
  /** A sink over empty storage. */
  sink: MetricsSink;
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

/** The MetricsSink port's contract, shared by the local sink (PGlite/PostgreSQL) and DynamoDB (dynalite). */
export function describeMetricsContract(name: string, factory: () => Promise<MetricsContractSubject>): void {
  describe(`MetricsSink contract: ${name}`, () => {
    let subject: MetricsContractSubject;
    let sink: MetricsSink;
    beforeEach(async () => {
      subject = await factory();
      sink = subject.sink;
    });
    afterEach(async () => subject?.close());

    it("records a batch and returns the points of one name, oldest first, with defaults filled in", async () => {
      const t0 = new Date(Date.now() - 60_000);
      const t1 = new Date(Date.now() - 30_000);
      await sink.record([
        { name: "tickets.created", value: 3, timestamp: t1, dimensions: { category: "Bug" } },
        { name: "tickets.created", value: 1, timestamp: t0 },
        { name: "agent.latency", value: 120.5, unit: "Milliseconds" },
      ]);
      expect(await sink.query("tickets.created")).toEqual([
        { name: "tickets.created", value: 1, unit: "Count", dimensions: {}, timestamp: t0 },
        { name: "tickets.created", value: 3, unit: "Count", dimensions: { category: "Bug" }, timestamp: t1 },
      ]);
      const [latency] = await sink.query("agent.latency");
      expect(latency).toMatchObject({ value: 120.5, unit: "Milliseconds" });
      expect(latency?.timestamp).toBeInstanceOf(Date);
      expect(await sink.query("never.recorded")).toEqual([]);
    });

    it("keeps the latest `limit` points and honours `since`", async () => {
      const base = Date.now() - 10_000;
      await sink.record(
        Array.from({ length: 5 }, (_, i) => ({ name: "queue.depth", value: i, timestamp: new Date(base + i * 1_000) })),
      );
      expect((await sink.query("queue.depth", { limit: 2 })).map((p) => p.value)).toEqual([3, 4]);
      expect((await sink.query("queue.depth", { since: new Date(base + 2_000) })).map((p) => p.value)).toEqual([
        2, 3, 4,
      ]);
    });

    it("records more points than one write call takes (DynamoDB: 25 per BatchWriteItem)", async () => {
      const base = Date.now() - 100_000;
      await sink.record(
        Array.from({ length: 60 }, (_, i) => ({ name: "bulk", value: i, timestamp: new Date(base + i * 1_000) })),
      );
      expect((await sink.query("bulk")).map((p) => p.value)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    });

    it("leaves out points older than 90 days", async () => {
      await sink.record([
        { name: "old", value: 1, timestamp: new Date(Date.now() - 91 * DAY_MS) },
        { name: "old", value: 2, timestamp: new Date(Date.now() - 89 * DAY_MS) },
      ]);
      expect((await sink.query("old")).map((p) => p.value)).toEqual([2]);
    });

    it("rejects invalid data without recording any of the batch", async () => {
      await expect(
        sink.record([
          { name: "ok", value: 1 },
          { name: "", value: Number.NaN },
        ]),
      ).rejects.toThrow(ValidationError);
      await expect(sink.record([{ name: "x", value: 1, unit: "Bytes" as "Count" }])).rejects.toThrow(/unit/);
      await expect(sink.query("ok", { limit: 0 })).rejects.toThrow(ValidationError);
      expect(await sink.query("ok")).toEqual([]);
    });
  });
}
