import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { S3ObjectReader } from "../../../sdk/aws/objects.js";
import { memoryLog } from "../../../sdk/log.js";
import { createSesHandler, processMail, type SesRecord } from "../../../worker/handlers/ses-lambda.js";
import { RecordingBus } from "../../app/webhooks/webhook-fixtures.js";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../sdk/ingest/mail/fixtures");
const fixture = (name: string) => readFileSync(path.join(fixtures, name));

describe("SES Lambda", () => {
  const s3 = new S3Client({ region: "eu-west-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } });
  const mock = mockClient(s3);
  mock.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const name = input.Key.replace(/^mail\//, "");
    return { Body: { transformToByteArray: async () => new Uint8Array(fixture(`${name}.eml`)) } };
  });

  const record = (
    messageId: string,
    verdicts: Partial<Record<"spam" | "virus" | "spf" | "dkim" | "dmarc", string>> = {},
  ): SesRecord => ({
    eventSource: "aws:ses",
    ses: {
      mail: {
        messageId,
        source: "bounce@example.org",
        timestamp: "2026-11-25T09:00:00.000Z",
        commonHeaders: { from: ["Sender <s@example.org>"] },
      },
      receipt: {
        spamVerdict: { status: verdicts.spam ?? "PASS" },
        virusVerdict: { status: verdicts.virus ?? "PASS" },
        spfVerdict: { status: verdicts.spf ?? "PASS" },
        dkimVerdict: { status: verdicts.dkim ?? "PASS" },
        dmarcVerdict: { status: verdicts.dmarc ?? "PASS" },
        ...(verdicts.dmarc === "FAIL" ? { dmarcPolicy: "REJECT" } : {}),
      },
    },
  });

  const setup = () => {
    const bus = new RecordingBus();
    const log = memoryLog();
    return {
      bus,
      log,
      deps: { objects: new S3ObjectReader(s3), bus, mailBucket: "mail-bucket", mailPrefix: "mail/", log },
    };
  };

  it("publishes an item for a clean mail read from the receipt rule's S3 object", async () => {
    const { bus, deps, log } = setup();
    const handler = createSesHandler(() => deps);
    const result = await handler({ Records: [record("multipart-alternative")] });
    expect(result).toEqual({
      disposition: "CONTINUE",
      results: [
        {
          messageId: "multipart-alternative",
          outcome: "published",
          sourceId: "email:CAF1x9Zq8-alt-001@mail.example.de",
          quarantined: false,
        },
      ],
    });
    expect(mock.commandCalls(GetObjectCommand).at(-1)!.args[0].input).toEqual({
      Bucket: "mail-bucket",
      Key: "mail/multipart-alternative",
    });
    expect(bus.published[0]).toMatchObject({ source: "feedback.email", detailType: "FeedbackReceived" });
    expect(log.entries.map((e) => e.event)).toEqual(["ses.published"]);
  });

  it("makes no ticket from mail whose spam or virus verdict is FAIL, and logs it", async () => {
    const { bus, deps, log } = setup();
    const calls = mock.commandCalls(GetObjectCommand).length;
    expect(await processMail(deps, record("html-only", { spam: "FAIL" }))).toEqual({
      messageId: "html-only",
      outcome: "dropped",
      reason: "spam verdict FAIL",
    });
    expect(await processMail(deps, record("attachments", { virus: "FAIL" }))).toMatchObject({
      outcome: "dropped",
      reason: "virus verdict FAIL",
    });
    expect(bus.published).toEqual([]);
    expect(mock.commandCalls(GetObjectCommand).length).toBe(calls);
    expect(log.entries.filter((e) => e.event === "ses.dropped")).toHaveLength(2);
  });

  it("quarantines a DMARC failure for review instead of dropping it", async () => {
    const { bus, deps, log } = setup();
    expect(await processMail(deps, record("iso-8859-1", { dmarc: "FAIL" }))).toMatchObject({
      outcome: "published",
      quarantined: true,
    });
    const item = (bus.published[0]!.detail as { item: { metadata: Record<string, unknown> } }).item;
    expect(item.metadata).toMatchObject({
      reviewRequired: true,
      quarantine: { reason: "dmarc_fail", dmarcPolicy: "REJECT" },
      verdicts: { dmarc: "FAIL" },
    });
    expect(log.entries.map((e) => e.event)).toEqual(["ses.quarantined", "ses.published"]);
  });

  it("rejects a mail whose body holds a NUL with a logged reason, without throwing or publishing", async () => {
    const { bus, deps, log } = setup();
    const handler = createSesHandler(() => deps);
    const result = await handler({ Records: [record("nul-body"), record("nul-from-name")] });
    expect(result.results).toMatchObject([
      { messageId: "nul-body", outcome: "rejected", reason: expect.stringContaining("body: holds a NUL character") },
      { messageId: "nul-from-name", outcome: "published" },
    ]);
    expect(bus.published).toHaveLength(1);
    expect(log.entries.map((e) => e.event)).toEqual(["ses.rejected", "ses.values_dropped", "ses.published"]);
  });

  it("throws when the bus does not take the item, so the invocation is retried", async () => {
    const { bus, deps } = setup();
    bus.fail = "entry";
    await expect(processMail(deps, record("windows-1252-qp"))).rejects.toThrow(/not accepted by the bus/);
  });
});
