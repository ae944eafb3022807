import { afterAll, describe, expect, it } from "vitest";
import { LocalMetricsSink } from "../../../sdk/local/metrics.js";
import { createTestDatabase, type TestDatabase } from "../../support/database.js";
import { describeMetricsContract } from "../contracts/metrics-contract.js";

const DAY_MS = 86_400_000;

let db: TestDatabase | undefined;
afterAll(async () => db?.close());
async function emptySink(): Promise<{ sink: LocalMetricsSink; db: TestDatabase }> {
  db ??= await createTestDatabase();
  await db.sql.query(`DELETE FROM metrics`);
  return { sink: new LocalMetricsSink(db.sql), db };
}

// The port's contract, shared with DynamoMetricsSink on dynalite (test/sdk/aws/dynamo-dynalite.test.ts).
describeMetricsContract("LocalMetricsSink (embedded database)", async () => ({
  sink: (await emptySink()).sink,
  close: async () => undefined,
}));

describe("LocalMetricsSink", () => {
  it("purges points older than 90 days", async () => {
    const { sink, db } = await emptySink();
    await sink.record([
      { name: "old", value: 1, timestamp: new Date(Date.now() - 91 * DAY_MS) },
      { name: "old", value: 2, timestamp: new Date(Date.now() - 89 * DAY_MS) },
    ]);
    expect(await sink.purgeExpired()).toBe(1);
    const { rows } = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM metrics`);
    expect(rows[0]?.n).toBe(1);
  });
});
