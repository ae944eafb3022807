import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../names.js";
import { assumedBy, policyDocument, type Statement } from "../policy-documents.js";

export const ECS_TASKS = "ecs-tasks.amazonaws.com";
export const XRAY_DAEMON_IMAGE = "public.ecr.aws/xray/aws-xray-daemon:3.3.14";

/** Role ECS uses to pull the image, write logs and inject the given secrets. */
export function executionRole(name: string, parent: pulumi.Resource, secretArns: pulumi.Input<string>[]): aws.iam.Role {
  const role = new aws.iam.Role(
    childName(name, "execution-role"),
    { assumeRolePolicy: assumedBy(ECS_TASKS) },
    { parent },
  );
  new aws.iam.RolePolicyAttachment(
    childName(name, "execution-managed"),
    { role: role.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" },
    { parent },
  );
  new aws.iam.RolePolicy(
    childName(name, "execution-secrets"),
    { role: role.id, policy: policyDocument([{ Action: "secretsmanager:GetSecretValue", Resource: secretArns }]) },
    { parent },
  );
  return role;
}

/** Role the application code runs as; exactly the statements given (plus X-Ray, which has no resource ARNs). */
export function taskRole(name: string, parent: pulumi.Resource, statements: Statement[], xray = true): aws.iam.Role {
  const role = new aws.iam.Role(childName(name, "task-role"), { assumeRolePolicy: assumedBy(ECS_TASKS) }, { parent });
  const xrayStatement: Statement = {
    Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
    Resource: "*",
  };
  new aws.iam.RolePolicy(
    childName(name, "task-policy"),
    { role: role.id, policy: policyDocument(xray ? [...statements, xrayStatement] : statements) },
    { parent },
  );
  return role;
}

export function awsLogs(logGroup: aws.cloudwatch.LogGroup, region: pulumi.Input<string>, prefix: string) {
  return {
    logDriver: "awslogs",
    options: { "awslogs-group": logGroup.name, "awslogs-region": region, "awslogs-stream-prefix": prefix },
  };
}

/** Node has fetch built in; the slim image has no curl. */
export function httpHealthCheck(port: number, path = "/health") {
  return {
    command: [
      "CMD",
      "node",
      "-e",
      `fetch('http://127.0.0.1:${port}${path}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
    ],
    interval: 30,
    timeout: 5,
    retries: 3,
    startPeriod: 60,
  };
}

export function xrayDaemon(logGroup: aws.cloudwatch.LogGroup, region: pulumi.Input<string>) {
  return {
    name: "xray-daemon",
    image: XRAY_DAEMON_IMAGE,
    essential: false,
    cpu: 32,
    memoryReservation: 256,
    user: "1337",
    portMappings: [{ containerPort: 2000, protocol: "udp" }],
    logConfiguration: awsLogs(logGroup, region, "xray"),
  };
}

export interface FargateTaskArgs {
  cpu: number;
  memoryMb: number;
  executionRoleArn: pulumi.Input<string>;
  taskRoleArn?: pulumi.Input<string>;
  /** Container definitions; serialised once all their inputs are known. */
  containers: unknown[];
}

/** A Linux/x86-64 Fargate task definition named `<name>-task`, one shape for every service here. */
export function fargateTaskDefinition(
  name: string,
  parent: pulumi.Resource,
  args: FargateTaskArgs,
): aws.ecs.TaskDefinition {
  return new aws.ecs.TaskDefinition(
    childName(name, "task"),
    {
      family: childName(name, "task"),
      cpu: String(args.cpu),
      memory: String(args.memoryMb),
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: args.executionRoleArn,
      taskRoleArn: args.taskRoleArn,
      containerDefinitions: pulumi.jsonStringify(args.containers),
    },
    { parent },
  );
}

/** The component's log group `<name>-logs`. */
export function serviceLogGroup(name: string, parent: pulumi.Resource, retentionInDays = 30): aws.cloudwatch.LogGroup {
  return new aws.cloudwatch.LogGroup(childName(name, "logs"), { retentionInDays }, { parent });
}
