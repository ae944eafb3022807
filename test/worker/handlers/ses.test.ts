import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { S3ObjectReader } from "../../../sdk/aws/objects.js";
import { memoryLog } from "../../../sdk/log.js";
import { createSesHandler, mailToItem, processMail, type SesRecord } from "../../../worker/handlers/ses-lambda.js";
import { RecordingBus } from "../../app/webhooks/webhook-fixtures.js";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const fixture = (name: string) => readFileSync(path.join(fixtures, name));

describe("MIME -> e-mail item (real fixtures through mailparser)", () => {
  it("multipart/alternative: the text part, an encoded-word subject, the sender", async () => {
    const result = await mailToItem(fixture("multipart-alternative.eml"), { fallbackId: "ses-1" });
    if (!("item" in result)) throw new Error(result.issues.join());
    expect(result.item).toMatchObject({
      sourceType: "email",
      sourceId: "email:CAF1x9Zq8-alt-001@mail.example.de",
      channel: "ses",
      subject: "Die App stürzt beim Start ab",
      author: "anna.schmidt@example.de",
      submittedAt: "2026-11-24T09:12:40.000Z",
      language: "de-DE",
    });
    expect(result.item.text).toBe(
      "Hallo,\n\nseit dem Update auf Version 3.2.1 stürzt die App auf meinem Pixel 8 sofort nach dem Start ab. Ich kann mich nicht mehr einloggen.\n\nViele Grüße\nAnna",
    );
    expect(result.item.text).not.toMatch(/<|=C3/);
    expect(result.item.metadata).toMatchObject({
      email: { from: { address: "anna.schmidt@example.de", name: "Anna Schmidt" }, htmlOnly: false },
    });
  });

  it("HTML-only: the HTML converted to readable text, styles and tracking pixels dropped", async () => {
    const result = await mailToItem(fixture("html-only.eml"), { fallbackId: "ses-2" });
    if (!("item" in result)) throw new Error(result.issues.join());
    const { text } = result.item;
    expect(text).toMatch(
      /^Hi team,\n\nIt would be great if the export feature could also produce CSV files \[https:\/\/en\.wikipedia\.org\/wiki\/Comma-separated_values\]\./,
    );
    expect(text).toMatch(/\* Date range filter\n \* All projects at once/);
    expect(text).not.toMatch(/<p>|color:#333|open\.gif/);
    expect(result.item).toMatchObject({
      subject: "Feature request: CSV export",
      author: "marco@example.it",
      metadata: { email: { htmlOnly: true } },
    });
  });

  it("attachments: the body only, attachments listed (name, type, size) but not included", async () => {
    const result = await mailToItem(fixture("attachments.eml"), { fallbackId: "ses-3" });
    if (!("item" in result)) throw new Error(result.issues.join());
    expect(result.item.text).toBe(
      "The app freezes when I upload a photo larger than 10 MB.\nSteps: open Gallery, pick a big photo, tap Upload. Log and screenshot attached.",
    );
    const attachments = (
      result.item.metadata as { email: { attachments: { filename: string; contentType: string; size: number }[] } }
    ).email.attachments;
    expect(attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ["screenshot.png", "image/png"],
      ["crash-log.pdf", "application/pdf"],
    ]);
    expect(attachments[1]!.size).toBeGreaterThan(50);
    expect(result.item.author).toBe("li.wei@example.cn");
  });

  it("ISO-8859-1 (8-bit body, Q-encoded headers) decoded to proper text", async () => {
    const result = await mailToItem(fixture("iso-8859-1.eml"), { fallbackId: "ses-4" });
    if (!("item" in result)) throw new Error(result.issues.join());
    expect(result.item.subject).toBe("Très déçue de la mise à jour");
    expect(result.item.text).toBe(
      "Bonjour,\n\nDepuis la mise à jour, l'application plante à l'ouverture sur mon iPhone 12.\nJ'ai réinstallé, rien à faire. Très déçue !\n\nFrançoise",
    );
    expect((result.item.metadata as { email: { from: { name: string } } }).email.from.name).toBe("Françoise Lévesque");
  });

  it("a NUL in the body: no item, the reason names the body and the character", async () => {
    const result = await mailToItem(fixture("nul-body.eml"), { fallbackId: "ses-nul" });
    expect(result).toEqual({ issues: ["body: holds a NUL character (U+0000) at character 16"] });
  });

  it("a NUL in the From name: the name is dropped and listed, the mail still makes an item", async () => {
    const result = await mailToItem(fixture("nul-from-name.eml"), { fallbackId: "ses-name" });
    if (!("item" in result)) throw new Error(result.issues.join());
    expect(result.item.author).toBe("bob@example.org");
    expect(result.item.metadata).toMatchObject({ email: { from: { address: "bob@example.org", name: null } } });
    expect(result.dropped).toEqual(["from name holds a NUL character (U+0000) at character 3; dropped"]);
  });

  it("windows-1252 quoted-printable: euro sign and en dash", async () => {
    const result = await mailToItem(fixture("windows-1252-qp.eml"), { fallbackId: "ses-5" });
    if (!("item" in result)) throw new Error(result.issues.join());
    expect(result.item.text).toBe(
      "The Pro plan shows €12,99 in the app but I was charged €14,99 – please fix the price display.",
    );
  });

  it("a mail without any body makes no item, with the reason", async () => {
    const raw = Buffer.from("From: a@example.com\r\nSubject: empty\r\nMessage-ID: <e@x>\r\n\r\n\r\n");
    const result = await mailToItem(raw, { fallbackId: "ses-6" });
    expect(result).toEqual({ issues: [expect.stringMatching(/^text: /)] });
  });
});

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
