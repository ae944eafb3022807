import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { mailToItem } from "../../../../sdk/ingest/mail/mime-item.js";

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

describe("MIME -> e-mail item: replies, forwards, threads, verdict headers", () => {
  it("a reply: quoted history and signature stripped, the original body kept in metadata", async () => {
    const result = await mailToItem(fixture("replied-with-signature.eml"), { fallbackId: "f-1", channel: "eml" });
    if (!("item" in result)) throw new Error(result.issues.join());
    expect(result.item.text).toBe(
      "It still crashes after 3.2.2, every time I tap Export on the report screen.\n\nThanks,\nJane",
    );
    const email = (result.item.metadata as { email: { original: string } }).email;
    expect(email.original).toContain("Could you try again with version 3.2.2");
    expect(email.original).toContain("Head of Ops");
  });

  it("a reply keeps In-Reply-To and References as bare ids, and the channel it came through", async () => {
    const result = await mailToItem(fixture("replied-with-signature.eml"), { fallbackId: "f-1", channel: "eml" });
    if (!("item" in result)) throw new Error(result.issues.join());
    expect(result.item.channel).toBe("eml");
    expect(result.item.metadata).toMatchObject({
      email: { inReplyTo: "first-001@mail.example.com", references: ["first-001@mail.example.com"] },
    });
    expect(result.item.metadata).not.toHaveProperty("email.sesMessageId");
  });

  it("a forward keeps the forwarded message with the forwarder's note", async () => {
    const result = await mailToItem(fixture("forwarded.eml"), { fallbackId: "f-2", channel: "eml" });
    if (!("item" in result)) throw new Error(result.issues.join());
    expect(result.item.text).toMatch(
      /^Passing this on from one of our store managers\.\n\n---------- Forwarded message/,
    );
    expect(result.item.text).toContain("The app closes by itself every time I open Settings on my Galaxy S23.");
  });

  it("a mail without quotes or signature keeps no second copy of its body", async () => {
    const result = await mailToItem(fixture("iso-8859-1.eml"), { fallbackId: "f-3", channel: "eml" });
    if (!("item" in result)) throw new Error(result.issues.join());
    expect(result.item.metadata).not.toHaveProperty("email.original");
  });

  it("SES's verdict headers stored in the message are read when no receipt verdicts are given", async () => {
    const result = await mailToItem(fixture("ses-spam-verdict.eml"), { fallbackId: "f-4", channel: "eml" });
    if (!("item" in result)) throw new Error(result.issues.join());
    expect(result.verdicts).toMatchObject({ spam: "FAIL", virus: "PASS" });
  });

  it("a DMARC failure in Authentication-Results quarantines the item for review", async () => {
    const result = await mailToItem(fixture("dmarc-fail.eml"), { fallbackId: "f-5", channel: "eml" });
    if (!("item" in result)) throw new Error(result.issues.join());
    expect(result.item.metadata).toMatchObject({
      reviewRequired: true,
      quarantine: { reason: "dmarc_fail", dmarcPolicy: "REJECT" },
      verdicts: { spf: "FAIL", dmarc: "FAIL" },
    });
  });

  it("a mailbox export without verdict headers carries no verdicts", async () => {
    const result = await mailToItem(fixture("forwarded.eml"), { fallbackId: "f-6", channel: "eml" });
    if (!("item" in result)) throw new Error(result.issues.join());
    expect(result.verdicts).toBeNull();
    expect(result.item.metadata).not.toHaveProperty("verdicts");
  });
});
