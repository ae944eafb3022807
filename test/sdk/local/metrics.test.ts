import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../../sdk/errors.js";
import { LocalMetricsSink } from "../../../sdk/local/metrics.js";
import { createTestDatabase, type TestDatabase } from "../../support/database.js";

const DAY_MS = 86_400_000;

describe("LocalMetricsSink", () => {
  let db: TestDatabase;
  let sink: LocalMetricsSink;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.close());
  beforeEach(async () => {
    await db.sql.query(`DELETE FROM metrics`);
    sink = new LocalMetricsSink(db.sql);
  });

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
  });

  it("keeps the latest `limit` points and honours `since`", async () => {
    const base = Date.now() - 10_000;
    await sink.record(
      Array.from({ length: 5 }, (_, i) => ({ name: "queue.depth", value: i, timestamp: new Date(base + i * 1_000) })),
    );
    expect((await sink.query("queue.depth", { limit: 2 })).map((p) => p.value)).toEqual([3, 4]);
    expect((await sink.query("queue.depth", { since: new Date(base + 2_000) })).map((p) => p.value)).toEqual([2, 3, 4]);
  });

  it("leaves out points older than 90 days and purges them", async () => {
    await sink.record([
      { name: "old", value: 1, timestamp: new Date(Date.now() - 91 * DAY_MS) },
      { name: "old", value: 2, timestamp: new Date(Date.now() - 89 * DAY_MS) },
    ]);
    expect((await sink.query("old")).map((p) => p.value)).toEqual([2]);
    expect(await sink.purgeExpired()).toBe(1);
    const { rows } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM metrics`);
    expect(rows[0]?.n).toBe(1);
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
