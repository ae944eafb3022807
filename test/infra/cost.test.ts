import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../infra/bundle.js";
import { parseSettings, type RawConfig } from "../../infra/config.js";
import {
  ARCHITECTURE_ESTIMATES,
  type Estimate,
  estimateMonthlyCost,
  formatEstimate,
  PRICED_TYPES,
  type ProgramResource,
  UNPRICED_TYPES,
  WORKLOADS,
} from "../../infra/cost/model.js";
import PRICES from "../../infra/cost/prices.json" with { type: "json" };
import { programResources } from "../../infra/cost/program.js";
import { SCALES, sizingFor } from "../../infra/sizing.js";

const WITH_DASHBOARD: RawConfig = { dashboardDomain: "feedback.example.com", hostedZoneId: "Z1" };
const CONFIGS = {
  small: { scale: "small" },
  medium: { scale: "medium" },
  large: { scale: "large" },
  mediumSingleAz: { scale: "medium", dbMultiAz: "false" },
  smallBiggerDb: { scale: "small", dbInstanceClass: "db.t3.medium" },
  smallGuardDuty: { scale: "small", guardDutyEnabled: "true" },
  largeEverything: { scale: "large", guardDutyEnabled: "true", backupReplicaRegion: "eu-central-1" },
} satisfies Record<string, RawConfig>;
type Config = keyof typeof CONFIGS;

/** The program's own resources for each configuration (the synth under mocks), as the cost CLI prices them. */
const programs = new Map<string, ProgramResource[]>();
let withoutDashboard: ProgramResource[];
beforeAll(async () => {
  for (const [key, raw] of Object.entries(CONFIGS))
    programs.set(key, await programResources(parseSettings({ ...WITH_DASHBOARD, ...raw })));
  withoutDashboard = await programResources(parseSettings({ scale: "small" }));
}, 120_000);

const estimate = (config: Config): Estimate =>
  estimateMonthlyCost(parseSettings({ ...WITH_DASHBOARD, ...CONFIGS[config] }), programs.get(config)!);
const item = (config: Config, part: string, text: string) =>
  estimate(config).items.find((i) => i.part === part && i.item.includes(text))!;
const ofType = (config: Config, type: string) => programs.get(config)!.filter((r) => r.type === type).length;

describe("cost model", () => {
  it("has a price for every tier's database instance class", () => {
    for (const scale of SCALES) expect(PRICES.rds.instanceHour).toHaveProperty(sizingFor(scale).db.instanceClass);
  });

  it("counts every priced resource in the program itself: the counts are the synth's", () => {
    for (const config of Object.keys(CONFIGS) as Config[]) {
      const { counts } = estimate(config);
      for (const type of Object.values(PRICED_TYPES))
        expect(counts[type], `${config} ${type}`).toBe(ofType(config, type));
    }
    // The numbers the lines print are those counts.
    expect(item("small", "observability", "alarms").item).toBe(
      `${ofType("small", PRICED_TYPES.alarm)} CloudWatch alarms and 1 dashboard(s)`,
    );
    expect(item("small", "observability", "alarms").monthly).toBeCloseTo(
      ofType("small", PRICED_TYPES.alarm) * PRICES.cloudWatch.alarmMonth + PRICES.cloudWatch.dashboardMonth,
      2,
    );
    expect(item("small", "worker", "Secrets").item).toBe(
      `${ofType("small", PRICED_TYPES.secret) + 1} Secrets Manager secrets`,
    );
  });

  it("knows every resource type the program creates: priced, or free with the reason", () => {
    const priced = new Set<string>(Object.values(PRICED_TYPES));
    for (const resources of [...programs.values(), withoutDashboard]) {
      const unknown = [...new Set(resources.map((r) => r.type))].filter(
        (t) => !priced.has(t) && !(t in UNPRICED_TYPES),
      );
      expect(unknown, "add a line to infra/cost/model.ts or a reason to UNPRICED_TYPES").toEqual([]);
    }
  });

  it("prices CloudTrail, Route 53 and Cognito, which the program creates with a dashboard", () => {
    expect(item("small", "observability", "CloudTrail").monthly).toBe(0);
    expect(item("small", "dashboard", "Route 53").item).toMatch(/^Route 53: \d+ records/);
    expect(item("small", "dashboard", "Cognito").monthly).toBe(0);
    const bare = estimateMonthlyCost(parseSettings({ scale: "small" }), withoutDashboard);
    expect(bare.items.some((i) => /Route 53|Cognito/.test(i.item))).toBe(false);
  });

  it("prices an always-on 2 vCPU / 4 GB worker task at Fargate's hourly rates", () => {
    expect(item("small", "worker", "Fargate").monthly).toBeCloseTo(730 * (2 * 0.04048 + 4 * 0.004445), 1);
  });

  it("charges one NAT gateway at small scale and one per AZ at large", () => {
    expect(item("small", "network", "NAT").item).toMatch(/^1 NAT/);
    expect(item("large", "network", "NAT").item).toMatch(/^3 NAT/);
  });

  it("doubles the database for Multi-AZ and adds the analytics replica at large scale", () => {
    const single = item("mediumSingleAz", "database", "RDS").monthly;
    expect(item("medium", "database", "RDS").monthly).toBeCloseTo(2 * single, 1);
    expect(estimate("large").items.some((i) => i.item.startsWith("read replica"))).toBe(true);
    expect(estimate("medium").items.some((i) => i.item.startsWith("read replica"))).toBe(false);
  });

  it("prices the nightly backup task and, when configured, the backups' replica", () => {
    expect(item("small", "backup", "pg_dump").monthly).toBeGreaterThan(0);
    expect(estimate("small").items.some((i) => i.item.startsWith("Backups replica"))).toBe(false);
    expect(item("largeEverything", "storage", "Backups replica").monthly).toBeGreaterThan(0);
  });

  it("leaves out the dashboard's load balancer, tasks and CDN when no dashboard is configured", () => {
    const without = estimateMonthlyCost(parseSettings({ scale: "small" }), withoutDashboard);
    expect(without.items.filter((i) => i.part === "dashboard")).toEqual([]);
    expect(without.total).toBeLessThan(estimate("small").total - 50);
  });

  it("follows the configuration, not just the tier", () => {
    expect(estimate("smallBiggerDb").total).toBeGreaterThan(estimate("small").total);
    expect(estimate("smallGuardDuty").total - estimate("small").total).toBeCloseTo(WORKLOADS.small.guardDutyMonthly, 1);
  });

  it("lands within 10% of the architecture's medium and large estimates", () => {
    for (const scale of ["medium", "large"] as const) {
      expect(Math.abs(estimate(scale).difference), scale).toBeLessThan(0.1);
    }
  });

  it("shows where the small tier exceeds the architecture's $124: the always-on worker, dashboard and NAT", () => {
    const small = estimate("small");
    expect(small.architecture).toBe(ARCHITECTURE_ESTIMATES.small);
    const fixed = small.items.filter((i) => /Fargate|NAT/.test(i.item)).reduce((sum, i) => sum + i.monthly, 0);
    expect(fixed).toBeGreaterThan(ARCHITECTURE_ESTIMATES.small);
  });

  it("matches docs/cost.md's small tier: alarms, secrets, every line adding up to the total, the summary", () => {
    const doc = readFileSync(path.join(REPO_ROOT, "docs/cost.md"), "utf8");
    const small = estimate("small");
    const figure = (pattern: RegExp) => {
      const match = doc.match(pattern);
      expect(match, `docs/cost.md has no line like ${pattern}`).not.toBeNull();
      return match!.slice(1).map(Number);
    };
    const alarms = item("small", "observability", "alarms");
    expect(figure(/^\| (\d+) CloudWatch alarms and 1 dashboard \| ([\d.]+) \|/m)).toEqual([
      small.counts[PRICED_TYPES.alarm],
      Number(alarms.monthly.toFixed(2)),
    ]);
    const secrets = item("small", "worker", "Secrets");
    expect(figure(/^\| (\d+) Secrets Manager secrets \| ([\d.]+) \|/m)).toEqual([
      Number.parseInt(secrets.item, 10),
      Number(secrets.monthly.toFixed(2)),
    ]);
    const [total, percent] = figure(/^\| \*\*total\*\* \| \*\*([\d.]+)\*\* \| \*\*\+(\d+)%\*\* \|/m);
    expect([total, percent]).toEqual([Number(small.total.toFixed(2)), Math.round(small.difference * 100)]);
    expect(figure(/^\| small \| \$(\d+) \| \$124 \|/m)).toEqual([Math.floor(small.total)]);
    // The lines between the table's header and its total add up to the total, so no line can go stale alone.
    const lines = [...doc.matchAll(/^\| [^|*]+ \| ([\d.]+) \|/gm)].map((m) => Number(m[1]));
    expect(lines.reduce((sum, amount) => sum + amount, 0)).toBeCloseTo(small.total, 1);
    const withoutExtras =
      small.total -
      item("small", "worker", "Fargate").monthly -
      item("small", "dashboard", "Fargate").monthly / 2 -
      item("small", "network", "public IPv4").monthly -
      item("small", "observability", "Container Insights").monthly;
    expect(figure(/would cost about \$(\d+)/)).toEqual([Math.round(withoutExtras)]);
  });

  it("prints each line, the total and the comparison", () => {
    const text = formatEstimate(estimate("medium"));
    expect(text).toContain("RDS db.t3.medium Multi-AZ");
    expect(text).toMatch(/architecture estimate\s+\$430\.00 {2}\([+-]\d+%\)/);
  });
});
