import { beforeAll, describe, expect, it } from "vitest";
import { WorkQueue } from "../../infra/components/queue.js";
import { json, type Recording, recordProgram } from "./support/harness.js";

describe("work queue", () => {
  let standard: Recording;
  let fifo: Recording;
  beforeAll(async () => {
    standard = await recordProgram(() => new WorkQueue("feedback-queue"));
    fifo = await recordProgram(() => new WorkQueue("feedback-queue", { fifo: true, maxReceiveCount: 3 }));
  });

  it("keeps messages invisible for 300 s, retains them 14 days and long-polls", () => {
    const main = standard.named("feedback-queue-main").inputs;
    expect(main.visibilityTimeoutSeconds).toBe(300);
    expect(main.messageRetentionSeconds).toBe(14 * 24 * 3600);
    expect(main.receiveWaitTimeSeconds).toBe(20);
  });

  it("encrypts the queue and its DLQ", () => {
    expect(standard.named("feedback-queue-main").inputs.sqsManagedSseEnabled).toBe(true);
    expect(standard.named("feedback-queue-dlq").inputs.sqsManagedSseEnabled).toBe(true);
  });

  it("moves a message to the DLQ after 5 receives by default", () => {
    const redrive = json(standard.named("feedback-queue-main").inputs.redrivePolicy);
    expect(redrive).toEqual({
      deadLetterTargetArn: "arn:aws:sqs:eu-west-1:123456789012:feedback-queue-dlq",
      maxReceiveCount: 5,
    });
  });

  it("lets only the work queue use the DLQ", () => {
    const allow = json(standard.named("feedback-queue-dlq-allow").inputs.redriveAllowPolicy);
    expect(allow).toEqual({
      redrivePermission: "byQueue",
      sourceQueueArns: ["arn:aws:sqs:eu-west-1:123456789012:feedback-queue-main"],
    });
  });

  it("offers FIFO queues with content-based deduplication and a configurable receive count", () => {
    const main = fifo.named("feedback-queue-main").inputs;
    expect(main.fifoQueue).toBe(true);
    expect(main.contentBasedDeduplication).toBe(true);
    expect(main.name).toMatch(/\.fifo$/);
    expect(fifo.named("feedback-queue-dlq").inputs.name).toMatch(/\.fifo$/);
    expect(json(main.redrivePolicy).maxReceiveCount).toBe(3);
  });
});
