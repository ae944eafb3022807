import {
  EventBridgeClient,
  EventBridgeServiceException,
  PutEventsCommand,
  type PutEventsCommandInput,
} from "@aws-sdk/client-eventbridge";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { EventBridgePublisher, putEventsEntrySize } from "../../../sdk/aws/event-bus.js";
import { AccessDeniedError, ThrottlingError } from "../../../sdk/errors.js";

const client = new EventBridgeClient({ region: "eu-west-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } });
const mock = mockClient(client);
afterEach(() => mock.reset());

const sleeps: number[] = [];
const publisher = (maxAttempts = 4) =>
  new EventBridgePublisher(client, {
    eventBusName: "feedback-bus",
    retry: { maxAttempts, baseDelayMs: 100, random: () => 1, sleep: async (ms) => void sleeps.push(ms) },
  });
const entry = (n: number, detail: Record<string, unknown> = { n }) => ({
  source: "feedback.test",
  detailType: "FeedbackReceived",
  detail,
});

/** Accepts every entry, numbering event ids by call. */
function acceptAll() {
  let call = 0;
  mock.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => {
    call++;
    return { FailedEntryCount: 0, Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `e${call}-${i}` })) };
  });
}

const sentBatches = () => mock.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);

describe("EventBridgePublisher", () => {
  it("sends chunks of at most 10 entries to the named bus and returns ids in order", async () => {
    acceptAll();
    const result = await publisher().publish(Array.from({ length: 23 }, (_, n) => entry(n)));
    expect(sentBatches().map((b) => b.length)).toEqual([10, 10, 3]);
    expect(sentBatches()[0]![0]).toMatchObject({
      EventBusName: "feedback-bus",
      Source: "feedback.test",
      DetailType: "FeedbackReceived",
      Detail: '{"n":0}',
    });
    expect(result.failed).toEqual([]);
    expect(result.eventIds[0]).toBe("e1-0");
    expect(result.eventIds[22]).toBe("e3-2");
    expect(result.deliveredTo).toBeUndefined();
  });

  it("keeps every PutEvents call within 256 KiB by EventBridge's size formula", async () => {
    acceptAll();
    const big = "x".repeat(60_000);
    await publisher().publish(Array.from({ length: 9 }, (_, n) => entry(n, { big })));
    const sizes = sentBatches().map((b) => b.reduce((sum, e) => sum + putEventsEntrySize(e), 0));
    expect(sizes.every((s) => s <= 262_144)).toBe(true);
    expect(sentBatches().map((b) => b.length)).toEqual([4, 4, 1]);
  });

  it("counts 14 bytes for Time and the UTF-8 bytes of source, detail type and detail", () => {
    expect(putEventsEntrySize({ Source: "a", DetailType: "bé", Detail: "{}", Time: new Date() })).toBe(14 + 1 + 3 + 2);
  });

  it("retries only the failed entries of a partial failure, with backoff", async () => {
    sleeps.length = 0;
    let call = 0;
    mock.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => {
      call++;
      const entries = input.Entries ?? [];
      if (call === 1) {
        return {
          FailedEntryCount: 2,
          Entries: entries.map((_, i) =>
            i === 1 || i === 3
              ? { ErrorCode: "ThrottlingException", ErrorMessage: "slow down" }
              : { EventId: `ok-${i}` },
          ),
        };
      }
      return {
        FailedEntryCount: 0,
        Entries: entries.map((e) => ({ EventId: `retry-${JSON.parse(e.Detail ?? "{}").n}` })),
      };
    });
    const result = await publisher().publish(Array.from({ length: 5 }, (_, n) => entry(n)));
    expect(sentBatches().map((b) => b.map((e) => JSON.parse(e.Detail ?? "{}").n))).toEqual([
      [0, 1, 2, 3, 4],
      [1, 3],
    ]);
    expect(result.eventIds).toEqual(["ok-0", "retry-1", "ok-2", "retry-3", "ok-4"]);
    expect(result.failed).toEqual([]);
    expect(sleeps).toEqual([100]);
  });

  it("reports entries that keep failing after the attempts, and permanent errors at once", async () => {
    mock.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
      FailedEntryCount: 2,
      Entries: (input.Entries ?? []).map((e) => {
        const n = JSON.parse(e.Detail ?? "{}").n;
        if (n === 0) return { ErrorCode: "InternalFailure", ErrorMessage: "try again" };
        if (n === 1) return { ErrorCode: "MalformedDetail", ErrorMessage: "bad" };
        return { EventId: "fine" };
      }),
    }));
    const result = await publisher(3).publish([entry(0), entry(1), entry(2)]);
    expect(result.eventIds).toEqual([null, null, "fine"]);
    expect(result.failed).toEqual([
      { index: 0, errorCode: "InternalFailure", errorMessage: "try again (gave up after 3 attempts)" },
      { index: 1, errorCode: "MalformedDetail", errorMessage: "bad" },
    ]);
    expect(mock.commandCalls(PutEventsCommand)).toHaveLength(3);
  });

  it("rejects an entry over 256 KiB or with a non-object detail without sending it", async () => {
    acceptAll();
    const result = await publisher().publish([
      entry(0, { huge: "x".repeat(262_144) }),
      entry(1),
      { ...entry(2), detail: [] as unknown as Record<string, unknown> },
    ]);
    expect(result.failed.map((f) => [f.index, f.errorCode])).toEqual([
      [0, "EntryTooLarge"],
      [2, "MalformedDetail"],
    ]);
    expect(result.eventIds[1]).toBe("e1-0");
    expect(sentBatches()).toHaveLength(1);
  });

  it("throws ThrottlingError / AccessDeniedError when the call itself fails, with the AWS error as cause", async () => {
    const throttled = new EventBridgeServiceException({
      name: "ThrottlingException",
      message: "Rate exceeded",
      $fault: "client",
      $metadata: { httpStatusCode: 400 },
    });
    mock.on(PutEventsCommand).rejects(throttled);
    const error = await publisher()
      .publish([entry(0)])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottlingError);
    expect((error as Error).cause).toBe(throttled);
    mock.on(PutEventsCommand).rejects(
      new EventBridgeServiceException({
        name: "AccessDeniedException",
        message: "no",
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(publisher().publish([entry(0)])).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it("does not call EventBridge for an empty publish", async () => {
    acceptAll();
    expect(await publisher().publish([])).toEqual({ eventIds: [], failed: [] });
    expect(mock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});
