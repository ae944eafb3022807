import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planSubnets } from "../cidr.js";
import { childName } from "../names.js";

export interface NetworkArgs {
  vpcCidr?: string;
  azCount?: number;
  natGateways?: "single" | "perAz";
  flowLogRetentionDays?: number;
  dashboardPort?: number;
}

export const ANYWHERE = "0.0.0.0/0";
/** Tag the policy pack looks for: the one security group allowed to face the internet (on 80 and 443). */
export const EXPOSURE_TAG = { "feedback:exposure": "internet-facing-alb" };

export interface SecurityGroups {
  alb: aws.ec2.SecurityGroup;
  dashboard: aws.ec2.SecurityGroup;
  worker: aws.ec2.SecurityGroup;
  migration: aws.ec2.SecurityGroup;
  database: aws.ec2.SecurityGroup;
}

/** VPC over 2-3 AZs: public subnets for the ALB and NAT, private ones for tasks and the database. */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly securityGroups: SecurityGroups;

  constructor(name: string, args: NetworkArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:network:Network", name, {}, opts);
    const parent = { parent: this };
    const azCount = args.azCount ?? 2;
    const plan = planSubnets(args.vpcCidr ?? "10.40.0.0/16", azCount);
    const azs = aws.getAvailabilityZonesOutput({ state: "available" }, parent);

    const vpc = new aws.ec2.Vpc(
      childName(name, "vpc"),
      {
        cidrBlock: args.vpcCidr ?? "10.40.0.0/16",
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: { Name: childName(name, "vpc") },
      },
      parent,
    );
    const igw = new aws.ec2.InternetGateway(childName(name, "igw"), { vpcId: vpc.id }, parent);
    const publicRoutes = new aws.ec2.RouteTable(
      childName(name, "public-rt"),
      { vpcId: vpc.id, routes: [{ cidrBlock: ANYWHERE, gatewayId: igw.id }] },
      parent,
    );

    const publicSubnets = plan.map((p) => {
      const subnet = new aws.ec2.Subnet(
        childName(name, "public", String(p.az)),
        {
          vpcId: vpc.id,
          cidrBlock: p.publicCidr,
          availabilityZone: azs.names.apply((names) => names[p.az]!),
          mapPublicIpOnLaunch: false,
          tags: { Name: childName(name, "public", String(p.az)), "feedback:tier": "public" },
        },
        parent,
      );
      new aws.ec2.RouteTableAssociation(
        childName(name, "public", String(p.az), "rta"),
        { subnetId: subnet.id, routeTableId: publicRoutes.id },
        parent,
      );
      return subnet;
    });

    const natCount = args.natGateways === "perAz" ? azCount : 1;
    const nats = publicSubnets.slice(0, natCount).map((subnet, i) => {
      const eip = new aws.ec2.Eip(childName(name, "nat-eip", String(i)), { domain: "vpc" }, parent);
      return new aws.ec2.NatGateway(
        childName(name, "nat", String(i)),
        { allocationId: eip.id, subnetId: subnet.id, tags: { Name: childName(name, "nat", String(i)) } },
        { parent: this, dependsOn: [igw] },
      );
    });

    const privateRouteTables: aws.ec2.RouteTable[] = [];
    const privateSubnets = plan.map((p) => {
      const subnet = new aws.ec2.Subnet(
        childName(name, "private", String(p.az)),
        {
          vpcId: vpc.id,
          cidrBlock: p.privateCidr,
          availabilityZone: azs.names.apply((names) => names[p.az]!),
          tags: { Name: childName(name, "private", String(p.az)), "feedback:tier": "private" },
        },
        parent,
      );
      const nat = nats[p.az % nats.length]!;
      const routes = new aws.ec2.RouteTable(
        childName(name, "private-rt", String(p.az)),
        { vpcId: vpc.id, routes: [{ cidrBlock: ANYWHERE, natGatewayId: nat.id }] },
        parent,
      );
      privateRouteTables.push(routes);
      new aws.ec2.RouteTableAssociation(
        childName(name, "private", String(p.az), "rta"),
        { subnetId: subnet.id, routeTableId: routes.id },
        parent,
      );
      return subnet;
    });

    // Gateway endpoints are free and keep S3/DynamoDB traffic off the NAT gateway's per-GB charge.
    const region = aws.getRegionOutput({}, parent).region;
    for (const service of ["s3", "dynamodb"]) {
      new aws.ec2.VpcEndpoint(
        childName(name, service, "endpoint"),
        {
          vpcId: vpc.id,
          serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
          vpcEndpointType: "Gateway",
          routeTableIds: privateRouteTables.map((rt) => rt.id),
        },
        parent,
      );
    }

    this.createFlowLogs(name, vpc, args.flowLogRetentionDays ?? 30);
    this.securityGroups = this.createSecurityGroups(name, vpc, args.dashboardPort ?? 3000);

    this.vpcId = vpc.id;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
    });
  }

  private createFlowLogs(name: string, vpc: aws.ec2.Vpc, retentionInDays: number): void {
    const parent = { parent: this };
    const logGroup = new aws.cloudwatch.LogGroup(childName(name, "flow-logs"), { retentionInDays }, parent);
    const role = new aws.iam.Role(
      childName(name, "flow-logs-role"),
      {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
      },
      parent,
    );
    new aws.iam.RolePolicy(
      childName(name, "flow-logs-policy"),
      {
        role: role.id,
        policy: logGroup.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [arn, `${arn}:*`],
              },
            ],
          }),
        ),
      },
      parent,
    );
    new aws.ec2.FlowLog(
      childName(name, "flow-log"),
      {
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
      },
      parent,
    );
  }

  private createSecurityGroups(name: string, vpc: aws.ec2.Vpc, dashboardPort: number): SecurityGroups {
    const parent = { parent: this };
    const group = (part: string, description: string, tags: Record<string, string> = {}) =>
      new aws.ec2.SecurityGroup(
        childName(name, part, "sg"),
        { vpcId: vpc.id, description, tags: { ...tags, Name: childName(name, part) } },
        parent,
      );
    const alb = group("alb", "Dashboard load balancer: HTTPS from anywhere, HTTP only to redirect", EXPOSURE_TAG);
    const dashboard = group("dashboard", "Dashboard tasks: only from the load balancer");
    const worker = group("worker", "Agent worker tasks: no inbound traffic");
    const migration = group("migration", "One-off migration task: no inbound traffic");
    const database = group("database", "PostgreSQL: only from the worker, dashboard and migration task");

    const ingress = (
      part: string,
      sg: aws.ec2.SecurityGroup,
      rule: Omit<aws.vpc.SecurityGroupIngressRuleArgs, "securityGroupId">,
    ) => new aws.vpc.SecurityGroupIngressRule(childName(name, part), { ...rule, securityGroupId: sg.id }, parent);
    const egress = (
      part: string,
      sg: aws.ec2.SecurityGroup,
      rule: Omit<aws.vpc.SecurityGroupEgressRuleArgs, "securityGroupId">,
    ) => new aws.vpc.SecurityGroupEgressRule(childName(name, part), { ...rule, securityGroupId: sg.id }, parent);

    for (const port of [443, 80]) {
      ingress(`alb-in-${port}`, alb, {
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: ANYWHERE,
        tags: EXPOSURE_TAG,
      });
    }
    egress("alb-out-dashboard", alb, {
      ipProtocol: "tcp",
      fromPort: dashboardPort,
      toPort: dashboardPort,
      referencedSecurityGroupId: dashboard.id,
    });
    // The login (authenticate-cognito / authenticate-oidc) has the load balancer itself call the identity
    // provider's token and user-info endpoints over HTTPS; their addresses are not fixed, so 443 to anywhere,
    // and nothing else.
    egress("alb-out-idp-https", alb, {
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: ANYWHERE,
      description: "HTTPS to the identity provider (Cognito or OIDC) for the ALB's login",
    });
    ingress("dashboard-in-alb", dashboard, {
      ipProtocol: "tcp",
      fromPort: dashboardPort,
      toPort: dashboardPort,
      referencedSecurityGroupId: alb.id,
    });
    for (const [part, sg] of [
      ["dashboard", dashboard],
      ["worker", worker],
      ["migration", migration],
    ] as const) {
      // HTTPS out reaches AWS APIs, ECR and the Anthropic API through the NAT gateway.
      egress(`${part}-out-https`, sg, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: ANYWHERE });
      egress(`${part}-out-db`, sg, {
        ipProtocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
        referencedSecurityGroupId: database.id,
      });
      ingress(`database-in-${part}`, database, {
        ipProtocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
        referencedSecurityGroupId: sg.id,
      });
    }
    return { alb, dashboard, worker, migration, database };
  }
}
