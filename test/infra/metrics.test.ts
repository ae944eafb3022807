import { beforeAll, describe, expect, it } from "vitest";
import { Metrics, TTL_ATTRIBUTE } from "../../infra/components/metrics.js";
import { TTL_ATTRIBUTE as SDK_TTL_ATTRIBUTE } from "../../sdk/aws/metrics.js";
import { type Recording, recordProgram } from "./support/harness.js";

describe("metrics tables", () => {
  let r: Recording;
  beforeAll(async () => {
    r = await recordProgram(() => new Metrics("feedback-metrics"));
  });
  const tables = () => r.ofType("aws:dynamodb/table:Table");

  it("creates the metrics and analytics tables on demand", () => {
    expect(
      tables()
        .map((t) => t.name)
        .sort(),
    ).toEqual(["feedback-metrics-analytics", "feedback-metrics-metrics"]);
    expect(tables().every((t) => t.inputs.billingMode === "PAY_PER_REQUEST")).toBe(true);
  });

  it("expires items through a TTL attribute", () => {
    expect(tables().every((t) => t.inputs.ttl.enabled && t.inputs.ttl.attributeName === "expiresAt")).toBe(true);
    expect(TTL_ATTRIBUTE).toBe(SDK_TTL_ATTRIBUTE);
  });

  it("keeps point-in-time recovery and KMS encryption on", () => {
    expect(tables().every((t) => t.inputs.pointInTimeRecovery.enabled === true)).toBe(true);
    expect(tables().every((t) => t.inputs.serverSideEncryption.enabled === true)).toBe(true);
  });

  it("keys both tables by the SDK's generic pk/sk strings", () => {
    for (const table of tables()) expect([table.inputs.hashKey, table.inputs.rangeKey]).toEqual(["pk", "sk"]);
  });

  it("indexes both tables by day for the dashboard's day view", () => {
    const index = (name: string) => r.named(name).inputs.globalSecondaryIndexes[0];
    expect(index("feedback-metrics-metrics")).toMatchObject({
      name: "byDay",
      hashKey: "day",
      rangeKey: "sk",
      projectionType: "ALL",
    });
    expect(index("feedback-metrics-analytics")).toMatchObject({ name: "byDay", hashKey: "day", rangeKey: "pk" });
  });

  it("declares exactly the key attributes its keys and indexes use", () => {
    const attributes = r.named("feedback-metrics-analytics").inputs.attributes.map((a: { name: string }) => a.name);
    expect(attributes.sort()).toEqual(["day", "pk", "sk"]);
  });
});
