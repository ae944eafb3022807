import { beforeAll, describe, expect, it } from "vitest";
import { Network } from "../../infra/components/network.js";
import { parseSettings } from "../../infra/config.js";
import { type Recording, recordProgram } from "./support/harness.js";

function recordNetwork(scale: string): Promise<Recording> {
  const s = parseSettings({ scale }).sizing;
  return recordProgram(
    () =>
      new Network("feedback-network", {
        azCount: s.azCount,
        natGateways: s.natGateways,
        flowLogRetentionDays: s.flowLogRetentionDays,
      }),
  );
}

describe("network", () => {
  let small: Recording;
  let large: Recording;
  beforeAll(async () => {
    small = await recordNetwork("small");
    large = await recordNetwork("large");
  });

  it("spreads public and private subnets over two AZs at small scale and three at large", () => {
    const tiers = (r: Recording, tier: string) =>
      r.ofType("aws:ec2/subnet:Subnet").filter((s) => s.inputs.tags["feedback:tier"] === tier);
    expect(tiers(small, "public")).toHaveLength(2);
    expect(tiers(small, "private")).toHaveLength(2);
    expect(tiers(large, "private")).toHaveLength(3);
    expect(new Set(tiers(small, "private").map((s) => s.inputs.availabilityZone))).toEqual(
      new Set(["eu-west-1a", "eu-west-1b"]),
    );
  });

  it("uses one NAT gateway at small scale and one per AZ at large", () => {
    expect(small.ofType("aws:ec2/natGateway:NatGateway")).toHaveLength(1);
    expect(large.ofType("aws:ec2/natGateway:NatGateway")).toHaveLength(3);
  });

  it("routes private subnets through a NAT gateway and public ones through the internet gateway", () => {
    const privateRoutes = small.ofType("aws:ec2/routeTable:RouteTable").filter((t) => t.name.includes("private-rt"));
    expect(privateRoutes.every((t) => t.inputs.routes[0].natGatewayId === "feedback-network-nat-0-id")).toBe(true);
    expect(small.named("feedback-network-public-rt").inputs.routes[0].gatewayId).toBe("feedback-network-igw-id");
    expect(small.ofType("aws:ec2/subnet:Subnet").every((s) => s.inputs.mapPublicIpOnLaunch !== true)).toBe(true);
  });

  it("records all VPC traffic in flow logs", () => {
    const flowLog = small.one("aws:ec2/flowLog:FlowLog");
    expect(flowLog.inputs.trafficType).toBe("ALL");
    expect(flowLog.inputs.logDestinationType).toBe("cloud-watch-logs");
    expect(small.named("feedback-network-flow-logs").inputs.retentionInDays).toBe(14);
  });

  it("lets only the load balancer in from the internet, on 443 and 80", () => {
    const open = small
      .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
      .filter((r) => r.inputs.cidrIpv4 === "0.0.0.0/0");
    expect(open.map((r) => r.inputs.fromPort).sort()).toEqual([443, 80]);
    expect(open.every((r) => r.inputs.securityGroupId === "feedback-network-alb-sg-id")).toBe(true);
  });

  it("lets the database be reached only from the worker, dashboard and migration task on 5432", () => {
    const dbIngress = small
      .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
      .filter((r) => r.inputs.securityGroupId === "feedback-network-database-sg-id");
    expect(dbIngress.map((r) => r.inputs.referencedSecurityGroupId).sort()).toEqual([
      "feedback-network-dashboard-sg-id",
      "feedback-network-migration-sg-id",
      "feedback-network-worker-sg-id",
    ]);
    expect(dbIngress.every((r) => r.inputs.fromPort === 5432 && r.inputs.toPort === 5432 && !r.inputs.cidrIpv4)).toBe(
      true,
    );
  });

  it("lets the load balancer out only to the dashboard tasks and, for the login, to the identity provider on 443", () => {
    const albEgress = small
      .ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
      .filter((r) => r.inputs.securityGroupId === "feedback-network-alb-sg-id");
    const rules = albEgress.map((r) => ({
      port: [r.inputs.fromPort, r.inputs.toPort],
      to: r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId,
    }));
    expect(rules).toEqual(
      expect.arrayContaining([
        { port: [3000, 3000], to: "feedback-network-dashboard-sg-id" },
        { port: [443, 443], to: "0.0.0.0/0" },
      ]),
    );
    expect(rules).toHaveLength(2);
    expect(albEgress.every((r) => r.inputs.ipProtocol === "tcp")).toBe(true);
  });

  it("keeps the dashboard tasks reachable only from the load balancer", () => {
    const rule = small.named("feedback-network-dashboard-in-alb");
    expect(rule.inputs.referencedSecurityGroupId).toBe("feedback-network-alb-sg-id");
    expect(rule.inputs.fromPort).toBe(3000);
  });

  it("adds free gateway endpoints for S3 and DynamoDB to the private route tables", () => {
    const endpoints = small.ofType("aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoints.map((e) => e.inputs.serviceName).sort()).toEqual([
      "com.amazonaws.eu-west-1.dynamodb",
      "com.amazonaws.eu-west-1.s3",
    ]);
    expect(endpoints[0]!.inputs.routeTableIds).toHaveLength(2);
  });
});
