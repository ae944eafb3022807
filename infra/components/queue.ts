import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../names.js";

export interface QueueArgs {
  fifo?: boolean;
  maxReceiveCount?: number;
  visibilityTimeoutSeconds?: number;
}

export const FOURTEEN_DAYS = 14 * 24 * 3600;
/** Marks a queue that is itself a dead-letter queue, so the policy pack does not ask it for one. */
export const DEAD_LETTER_TAG = { "feedback:role": "dead-letter" };

/** A queue that only ever holds failed messages for inspection and redrive. */
export function deadLetterQueue(name: string, parent: pulumi.Resource, fifo = false): aws.sqs.Queue {
  return new aws.sqs.Queue(
    name,
    {
      ...(fifo ? { fifoQueue: true, name: `${name}-${pulumi.getStack()}.fifo` } : {}),
      messageRetentionSeconds: FOURTEEN_DAYS,
      sqsManagedSseEnabled: true,
      tags: DEAD_LETTER_TAG,
    },
    { parent },
  );
}

/** The work queue between ingestion and the worker, with its dead-letter queue. */
export class WorkQueue extends pulumi.ComponentResource {
  readonly queue: aws.sqs.Queue;
  readonly dlq: aws.sqs.Queue;

  constructor(name: string, args: QueueArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("feedback:queue:WorkQueue", name, {}, opts);
    const fifo = args.fifo ?? false;
    this.dlq = deadLetterQueue(childName(name, "dlq"), this, fifo);
    this.queue = new aws.sqs.Queue(
      childName(name, "main"),
      {
        ...(fifo
          ? {
              fifoQueue: true,
              contentBasedDeduplication: true,
              name: `${childName(name, "main")}-${pulumi.getStack()}.fifo`,
            }
          : {}),
        visibilityTimeoutSeconds: args.visibilityTimeoutSeconds ?? 300,
        messageRetentionSeconds: FOURTEEN_DAYS,
        receiveWaitTimeSeconds: 20,
        sqsManagedSseEnabled: true,
        redrivePolicy: this.dlq.arn.apply((deadLetterTargetArn) =>
          JSON.stringify({ deadLetterTargetArn, maxReceiveCount: args.maxReceiveCount ?? 5 }),
        ),
      },
      { parent: this },
    );
    // Separate resource: the DLQ names its source queue, which itself names the DLQ.
    new aws.sqs.RedriveAllowPolicy(
      childName(name, "dlq-allow"),
      {
        queueUrl: this.dlq.url,
        redriveAllowPolicy: this.queue.arn.apply((arn) =>
          JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [arn] }),
        ),
      },
      { parent: this },
    );
    this.registerOutputs({ queueUrl: this.queue.url, dlqUrl: this.dlq.url });
  }
}
