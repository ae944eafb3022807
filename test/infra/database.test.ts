import { beforeAll, describe, expect, it } from "vitest";
import { Database, parameterFamily } from "../../infra/components/database.js";
import { parseSettings, type RawConfig } from "../../infra/config.js";
import { PRIVATE_SUBNETS, SG } from "./support/fakes.js";
import { type Recording, recordProgram } from "./support/harness.js";

function recordDatabase(raw: RawConfig): Promise<Recording> {
  const settings = parseSettings(raw);
  return recordProgram(
    () =>
      new Database("feedback-database", {
        subnetIds: PRIVATE_SUBNETS,
        securityGroupId: SG("database"),
        ...settings.sizing.db,
        engineVersion: settings.dbEngineVersion,
        production: settings.production,
      }),
  );
}

describe("database", () => {
  const instance = (r: Recording) => r.named("feedback-database-postgres").inputs;
  let small: Recording;
  let medium: Recording;
  let large: Recording;
  let production: Recording;
  beforeAll(async () => {
    small = await recordDatabase({ scale: "small" });
    medium = await recordDatabase({ scale: "medium" });
    large = await recordDatabase({ scale: "large" });
    production = await recordDatabase({ scale: "small", environment: "production" });
  });

  it("sizes the instance class by scale: t3.small, t3.medium, r5.large", () => {
    expect([small, medium, large].map((r) => instance(r).instanceClass)).toEqual([
      "db.t3.small",
      "db.t3.medium",
      "db.r5.large",
    ]);
  });

  it("is Multi-AZ from the medium tier up", () => {
    expect([small, medium, large].map((r) => instance(r).multiAz)).toEqual([false, true, true]);
  });

  it("encrypts storage, keeps 7 days of backups and is never publicly accessible", () => {
    expect(instance(small).storageEncrypted).toBe(true);
    expect(instance(small).backupRetentionPeriod).toBe(7);
    expect(instance(small).publiclyAccessible).toBe(false);
    expect(instance(small).vpcSecurityGroupIds).toEqual(["feedback-network-database-sg-id"]);
  });

  it("lets Secrets Manager manage the master password", () => {
    expect(instance(small).manageMasterUserPassword).toBe(true);
    expect(instance(small).password).toBeUndefined();
  });

  it("turns on Performance Insights", () => {
    expect(instance(small).performanceInsightsEnabled).toBe(true);
  });

  it("protects production databases from deletion and keeps a final snapshot", () => {
    expect(instance(production).deletionProtection).toBe(true);
    expect(instance(production).skipFinalSnapshot).toBe(false);
    expect(instance(small).deletionProtection).toBe(false);
  });

  it("enforces TLS through the parameter group", () => {
    const params = small.named("feedback-database-params").inputs;
    expect(params.family).toBe("postgres16");
    expect(params.parameters).toContainEqual({ name: "rds.force_ssl", value: "1" });
  });

  it("adds an encrypted, private analytics read replica at large scale only", () => {
    const replica = large.named("feedback-database-analytics-replica").inputs;
    expect(replica.replicateSourceDb).toBe("feedback-database-postgres");
    expect(replica.storageEncrypted).toBe(true);
    expect(replica.publiclyAccessible).toBe(false);
    expect(medium.ofType("aws:rds/instance:Instance")).toHaveLength(1);
  });

  it("derives the parameter group family from the engine version", () => {
    expect(parameterFamily("16.4")).toBe("postgres16");
    expect(() => parameterFamily("latest")).toThrow();
  });
});
