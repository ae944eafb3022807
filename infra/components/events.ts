import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../names.js";
import { policyDocument } from "../policy-documents.js";
import { FEEDBACK_RECEIVED_DETAIL_TYPE, FEEDBACK_SOURCE_TYPES } from "../product-contract.js";
import { deadLetterQueue } from "./queue.js";

/**
 * Event `source` per feedback source type, as the publishers write it (`feedback.<sourceType>`); each
 * gets its own rule, and so its own metrics and replay filter.
 */
export const EVENT_SOURCES: Record<string, string> = Object.fromEntries(
  FEEDBACK_SOURCE_TYPES.map((type) => [type.replace(/_/g, "-"), `feedback.${type}`]),
);

export interface EventsArgs {
  targetFunctionArn: pulumi.Input<string>;
  targetFunctionName: pulumi.Input<string>;
  archiveRetentionDays?: number;
  maxRetryAttempts?: number;
  maxEventAgeSeconds?: number;
}

/** The custom bus, its replay archive, and one rule per source routed to the ingestion Lambda. */
export class Events extends pulumi.ComponentResource {
  readonly bus: aws.cloudwatch.EventBus;
  readonly archive: aws.cloudwatch.EventArchive;
  readonly targetDlq: aws.sqs.Queue;
  readonly rules: aws.cloudwatch.EventRule[];

  constructor(name: string, args: EventsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:events:Events", name, {}, opts);
    const parent = { parent: this };
    this.bus = new aws.cloudwatch.EventBus(childName(name, "bus"), {}, parent);
    this.archive = new aws.cloudwatch.EventArchive(
      childName(name, "archive"),
      {
        eventSourceArn: this.bus.arn,
        retentionDays: args.archiveRetentionDays ?? 30,
        description: "Every feedback event, for replaying a time window after a fix",
      },
      parent,
    );
    this.targetDlq = deadLetterQueue(childName(name, "target-dlq"), this);

    this.rules = Object.entries(EVENT_SOURCES).map(([kind, source]) => {
      const rule = new aws.cloudwatch.EventRule(
        childName(name, kind, "rule"),
        {
          eventBusName: this.bus.name,
          description: `Feedback from ${kind} to the ingestion Lambda`,
          eventPattern: JSON.stringify({ source: [source], "detail-type": [FEEDBACK_RECEIVED_DETAIL_TYPE] }),
        },
        parent,
      );
      new aws.cloudwatch.EventTarget(
        childName(name, kind, "target"),
        {
          rule: rule.name,
          eventBusName: this.bus.name,
          arn: args.targetFunctionArn,
          retryPolicy: {
            maximumRetryAttempts: args.maxRetryAttempts ?? 8,
            maximumEventAgeInSeconds: args.maxEventAgeSeconds ?? 3600,
          },
          deadLetterConfig: { arn: this.targetDlq.arn },
        },
        parent,
      );
      new aws.lambda.Permission(
        childName(name, kind, "invoke"),
        {
          action: "lambda:InvokeFunction",
          function: args.targetFunctionName,
          principal: "events.amazonaws.com",
          sourceArn: rule.arn,
        },
        parent,
      );
      return rule;
    });

    new aws.sqs.QueuePolicy(
      childName(name, "target-dlq-policy"),
      {
        queueUrl: this.targetDlq.url,
        policy: policyDocument([
          {
            Sid: "EventBridgeDeadLetters",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: this.targetDlq.arn,
            Condition: { ArnEquals: { "aws:SourceArn": this.rules.map((r) => r.arn) } },
          },
        ]),
      },
      parent,
    );
    this.registerOutputs({ busName: this.bus.name, archiveName: this.archive.name });
  }
}
