import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { handlerArchive } from "../bundle.js";
import { childName } from "../names.js";
import { assumedBy, policyDocument, type Statement } from "../policy-documents.js";
import { deadLetterQueue } from "./queue.js";

export interface NodeFunctionArgs {
  /** Handler module, relative to the repository root; bundled with esbuild at deployment time. */
  entry: string;
  /** A ready archive instead of bundling `entry` (e.g. a plain JavaScript file). */
  code?: pulumi.Input<pulumi.asset.Archive>;
  description?: string;
  memorySize?: number;
  timeout?: number;
  /** -1 or unset: draws on the account's unreserved concurrency. */
  reservedConcurrency?: number;
  environment?: Record<string, pulumi.Input<string>>;
  statements?: Statement[];
  logRetentionDays?: number;
  /**
   * An OpenTelemetry collector layer (ADOT's, which forwards OTLP on 127.0.0.1:4318 to X-Ray): with it the handler's
   * tracing is turned on (sdk/tracing), so its spans join the item's trace; without it the handler exports none.
   */
  tracingLayerArn?: string;
  /** Runs the function in these private subnets (e.g. to reach the database); its role may then manage its ENIs. */
  vpc?: { subnetIds: pulumi.Input<string>[]; securityGroupIds: pulumi.Input<string>[] };
}

/** A Node.js Lambda with its own role, log group, X-Ray tracing and a DLQ for failed async invocations. */
export class NodeFunction extends pulumi.ComponentResource {
  readonly function: aws.lambda.Function;
  readonly dlq: aws.sqs.Queue;
  readonly role: aws.iam.Role;

  constructor(name: string, args: NodeFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:lambda:NodeFunction", name, {}, opts);
    const parent = { parent: this };
    this.dlq = deadLetterQueue(childName(name, "dlq"), this);
    const logGroup = new aws.cloudwatch.LogGroup(
      childName(name, "logs"),
      { retentionInDays: args.logRetentionDays ?? 30 },
      parent,
    );
    this.role = new aws.iam.Role(
      childName(name, "role"),
      { assumeRolePolicy: assumedBy("lambda.amazonaws.com") },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      childName(name, "policy"),
      {
        role: this.role.id,
        policy: policyDocument([
          { Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logGroup.arn}:*` },
          // X-Ray accepts no resource-level permissions.
          { Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
          { Action: "sqs:SendMessage", Resource: this.dlq.arn },
          ...(args.statements ?? []),
        ]),
      },
      parent,
    );
    const vpcAccess = args.vpc
      ? [
          new aws.iam.RolePolicyAttachment(
            childName(name, "vpc-access"),
            {
              role: this.role.name,
              policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
            },
            parent,
          ),
        ]
      : [];
    const reserved = args.reservedConcurrency ?? -1;
    const tracing: Record<string, string> = args.tracingLayerArn
      ? { FEEDBACK_TRACING: "true", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_SERVICE_NAME: name }
      : {};
    const environment = args.environment || args.tracingLayerArn ? { ...args.environment, ...tracing } : undefined;
    this.function = new aws.lambda.Function(
      childName(name, "fn"),
      {
        description: args.description,
        runtime: "nodejs22.x",
        architectures: ["arm64"],
        handler: "index.handler",
        code: args.code ?? handlerArchive(args.entry),
        memorySize: args.memorySize ?? 256,
        timeout: args.timeout ?? 30,
        role: this.role.arn,
        tracingConfig: { mode: "Active" },
        deadLetterConfig: { targetArn: this.dlq.arn },
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
        ...(reserved >= 0 ? { reservedConcurrentExecutions: reserved } : {}),
        ...(args.tracingLayerArn ? { layers: [args.tracingLayerArn] } : {}),
        ...(args.vpc ? { vpcConfig: args.vpc } : {}),
        ...(environment ? { environment: { variables: environment } } : {}),
      },
      { parent: this, dependsOn: [policy, ...vpcAccess] },
    );
    this.registerOutputs({ functionArn: this.function.arn, dlqUrl: this.dlq.url });
  }
}
