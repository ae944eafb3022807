import * as pulumi from "@pulumi/pulumi";
import { childName, settingEnv } from "../names.js";
import { NodeFunction } from "./node-function.js";

export interface IngestionArgs {
  queueArn: pulumi.Input<string>;
  queueUrl: pulumi.Input<string>;
  /** The handler module (exports `handler`); a fixture in unit tests. */
  handlerEntry?: string;
  reservedConcurrency?: number;
  logRetentionDays?: number;
  /** See NodeFunctionArgs.tracingLayerArn. */
  tracingLayerArn?: string;
}

export const INGESTION_HANDLER = "worker/handlers/ingestion-lambda.ts";

/** The ingestion Lambda: EventBridge delivers each feedback event, it validates and enqueues it. */
export class Ingestion extends pulumi.ComponentResource {
  readonly fn: NodeFunction;

  constructor(name: string, args: IngestionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:ingestion:Ingestion", name, {}, opts);
    this.fn = new NodeFunction(
      childName(name, "lambda"),
      {
        entry: args.handlerEntry ?? INGESTION_HANDLER,
        description: "Validates feedback events from EventBridge and enqueues them for the worker",
        memorySize: 256,
        timeout: 30,
        reservedConcurrency: args.reservedConcurrency,
        logRetentionDays: args.logRetentionDays,
        tracingLayerArn: args.tracingLayerArn,
        environment: { [settingEnv("queueUrl")]: args.queueUrl },
        statements: [{ Action: ["sqs:SendMessage", "sqs:GetQueueAttributes"], Resource: args.queueArn }],
      },
      { parent: this },
    );
    this.registerOutputs({ functionArn: this.fn.function.arn });
  }
}
