import { describe, expect, it } from "vitest";
import { planSubnets } from "../../infra/cidr.js";
import { childName, settingEnv } from "../../infra/names.js";
import { dbMaxConnections, natGatewayCount, SCALES, sizingFor } from "../../infra/sizing.js";

describe("sizing by scale", () => {
  it("gives every tier a 2 vCPU / 4 GB worker scaling from 1 to 10 tasks at 70% CPU", () => {
    for (const scale of SCALES) {
      expect(sizingFor(scale).worker).toMatchObject({
        cpu: 2048,
        memoryMb: 4096,
        minTasks: 1,
        maxTasks: 10,
        cpuTarget: 70,
      });
    }
  });

  it("gives every tier a dashboard of 2 to 10 tasks", () => {
    for (const scale of SCALES) expect(sizingFor(scale).dashboard).toMatchObject({ minTasks: 2, maxTasks: 10 });
  });

  it("uses one NAT gateway for small and medium and one per AZ for large", () => {
    expect(SCALES.map((s) => natGatewayCount(sizingFor(s)))).toEqual([1, 1, 3]);
  });

  it("hands out copies, so overriding one stack's sizing leaves the tier alone", () => {
    sizingFor("small").db.instanceClass = "changed";
    expect(sizingFor("small").db.instanceClass).toBe("db.t3.small");
  });

  it("estimates PostgreSQL's max_connections from the instance memory", () => {
    expect(dbMaxConnections("db.t3.small")).toBe(225);
    expect(dbMaxConnections("db.r5.large")).toBe(1802);
  });
});

describe("subnet plan", () => {
  it("gives each AZ a public /22 and a private /18 of a /16", () => {
    expect(planSubnets("10.40.0.0/16", 2)).toEqual([
      { az: 0, publicCidr: "10.40.0.0/22", privateCidr: "10.40.64.0/18" },
      { az: 1, publicCidr: "10.40.4.0/22", privateCidr: "10.40.128.0/18" },
    ]);
    expect(planSubnets("10.40.0.0/16", 3)[2]).toEqual({
      az: 2,
      publicCidr: "10.40.8.0/22",
      privateCidr: "10.40.192.0/18",
    });
  });

  it("scales the split to smaller VPCs", () => {
    expect(planSubnets("172.16.16.0/20", 2)[1]).toEqual({
      az: 1,
      publicCidr: "172.16.16.64/26",
      privateCidr: "172.16.24.0/22",
    });
  });

  it("rejects ranges it cannot split and malformed ones", () => {
    expect(() => planSubnets("10.0.0.0/24", 2)).toThrow(/between \/16 and \/20/);
    expect(() => planSubnets("10.0.0.1/16", 2)).toThrow(/host bits/);
    expect(() => planSubnets("10.0.0.0", 2)).toThrow(/Not an IPv4 CIDR/);
  });
});

describe("names", () => {
  it("names children after their component", () => {
    expect(childName("feedback-queue", "dlq")).toBe("feedback-queue-dlq");
  });

  it("passes settings to processes under the environment names the SDK reads", () => {
    expect(settingEnv("queueUrl")).toBe("FEEDBACK_QUEUE_URL");
    expect(settingEnv("region")).toBe("AWS_REGION");
  });
});
