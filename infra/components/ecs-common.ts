import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../names.js";
import { assumedBy, policyDocument, type Statement } from "../policy-documents.js";

export const ECS_TASKS = "ecs-tasks.amazonaws.com";
/** AWS Distro for OpenTelemetry's collector: OTLP in (4318/http, 4317/grpc; X-Ray segments on 2000/udp), X-Ray out. */
export const TRACE_COLLECTOR_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3";
/** Where the application's OTLP exporter reaches the collector beside it (sdk/tracing/setup.ts). */
export const OTLP_ENDPOINT = "http://127.0.0.1:4318";

/** The variables that turn the application's tracing on (sdk/config FEEDBACK_TRACING, OTEL_*), per service. */
export function tracingEnvironment(service: string): { name: string; value: string }[] {
  return [
    { name: "FEEDBACK_TRACING", value: "true" },
    { name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: OTLP_ENDPOINT },
    { name: "OTEL_SERVICE_NAME", value: service },
  ];
}

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

/**
 * The trace collector sidecar with its shipped ECS configuration (OTLP and X-Ray receivers, the X-Ray exporter): the
 * task's spans reach X-Ray through it with the task role's X-Ray grants. Not essential: tracing down never stops work.
 */
export function traceCollector(logGroup: aws.cloudwatch.LogGroup, region: pulumi.Input<string>) {
  return {
    name: "trace-collector",
    image: TRACE_COLLECTOR_IMAGE,
    essential: false,
    command: ["--config=/etc/ecs/ecs-default-config.yaml"],
    cpu: 64,
    memoryReservation: 256,
    user: "1337",
    portMappings: [
      { containerPort: 4318, protocol: "tcp" },
      { containerPort: 2000, protocol: "udp" },
    ],
    logConfiguration: awsLogs(logGroup, region, "otel"),
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
