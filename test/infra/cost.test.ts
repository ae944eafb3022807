import { describe, expect, it } from "vitest";
import { parseSettings, type RawConfig } from "../../infra/config.js";
import { ARCHITECTURE_ESTIMATES, estimateMonthlyCost, formatEstimate, WORKLOADS } from "../../infra/cost/model.js";
import PRICES from "../../infra/cost/prices.json" with { type: "json" };
import { SCALES, sizingFor } from "../../infra/sizing.js";

const WITH_DASHBOARD: RawConfig = { dashboardDomain: "feedback.example.com", hostedZoneId: "Z1" };
const estimate = (raw: RawConfig) => estimateMonthlyCost(parseSettings({ ...WITH_DASHBOARD, ...raw }));
const item = (raw: RawConfig, part: string, text: string) =>
  estimate(raw).items.find((i) => i.part === part && i.item.includes(text))!;

describe("cost model", () => {
  it("has a price for every tier's database instance class", () => {
    for (const scale of SCALES) expect(PRICES.rds.instanceHour).toHaveProperty(sizingFor(scale).db.instanceClass);
  });

  it("prices an always-on 2 vCPU / 4 GB worker task at Fargate's hourly rates", () => {
    expect(item({ scale: "small" }, "worker", "Fargate").monthly).toBeCloseTo(730 * (2 * 0.04048 + 4 * 0.004445), 1);
  });

  it("charges one NAT gateway at small scale and one per AZ at large", () => {
    expect(item({ scale: "small" }, "network", "NAT").item).toMatch(/^1 NAT/);
    expect(item({ scale: "large" }, "network", "NAT").item).toMatch(/^3 NAT/);
  });

  it("doubles the database for Multi-AZ and adds the analytics replica at large scale", () => {
    const single = item({ scale: "medium", dbMultiAz: "false" }, "database", "RDS").monthly;
    expect(item({ scale: "medium" }, "database", "RDS").monthly).toBeCloseTo(2 * single, 1);
    expect(estimate({ scale: "large" }).items.some((i) => i.item.startsWith("read replica"))).toBe(true);
    expect(estimate({ scale: "medium" }).items.some((i) => i.item.startsWith("read replica"))).toBe(false);
  });

  it("leaves out the dashboard's load balancer, tasks and CDN when no dashboard is configured", () => {
    const without = estimateMonthlyCost(parseSettings({ scale: "small" }));
    expect(without.items.filter((i) => i.part === "dashboard")).toEqual([]);
    expect(without.total).toBeLessThan(estimate({ scale: "small" }).total - 50);
  });

  it("follows the configuration, not just the tier", () => {
    expect(estimate({ scale: "small", dbInstanceClass: "db.t3.medium" }).total).toBeGreaterThan(
      estimate({ scale: "small" }).total,
    );
    expect(
      estimate({ scale: "small", guardDutyEnabled: "true" }).total - estimate({ scale: "small" }).total,
    ).toBeCloseTo(WORKLOADS.small.guardDutyMonthly, 1);
  });

  it("lands within 10% of the architecture's medium and large estimates", () => {
    for (const scale of ["medium", "large"] as const) {
      expect(Math.abs(estimate({ scale }).difference), scale).toBeLessThan(0.1);
    }
  });

  it("shows where the small tier exceeds the architecture's $124: the always-on worker, dashboard and NAT", () => {
    const small = estimate({ scale: "small" });
    expect(small.architecture).toBe(ARCHITECTURE_ESTIMATES.small);
    const fixed = small.items.filter((i) => /Fargate|NAT/.test(i.item)).reduce((sum, i) => sum + i.monthly, 0);
    expect(fixed).toBeGreaterThan(ARCHITECTURE_ESTIMATES.small);
  });

  it("prints each line, the total and the comparison", () => {
    const text = formatEstimate(estimate({ scale: "medium" }));
    expect(text).toContain("RDS db.t3.medium Multi-AZ");
    expect(text).toMatch(/architecture estimate\s+\$430\.00 {2}\([+-]\d+%\)/);
  });
});
