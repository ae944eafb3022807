import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { collectFeedbackFile } from "../../../../sdk/ingest/index.js";
import { detectMailFormat } from "../../../../sdk/ingest/mail/mail-files.js";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const fixture = (name: string) => path.join(fixtures, name);

function folderOf(names: string[]): string {
  const folder = mkdtempSync(path.join(tmpdir(), "eml-folder-"));
  mkdirSync(path.join(folder, "nested"));
  for (const [i, name] of names.entries()) copyFileSync(fixture(name), path.join(folder, i % 2 ? "nested" : "", name));
  return folder;
}

describe("detectMailFormat", () => {
  it("knows .eml and .mbox by extension", () => {
    expect(detectMailFormat("a.eml", "anything")).toBe("eml");
    expect(detectMailFormat("a.mbox", "anything")).toBe("mbox");
  });

  it("knows an mbox by its From_ separator followed by a header, whatever the extension", () => {
    expect(detectMailFormat("mail.txt", "From a@b.c Tue Nov 24 09:12:44 2026\nReturn-Path: <a@b.c>\n")).toBe("mbox");
  });

  it("knows a message by its header block", () => {
    expect(detectMailFormat("msg.txt", "Received: from x\n by y\nFrom: a@b.c\nSubject: hi\n\nbody")).toBe("eml");
  });

  it("leaves CSV and JSON to their readers", () => {
    expect(detectMailFormat("r.csv", "review_id,review_text\n1,From here\n")).toBeNull();
    expect(detectMailFormat("r.txt", "From,Text\nann,hello\n")).toBeNull();
    expect(detectMailFormat("r.json", '[{"text":"a"}]')).toBeNull();
  });
});

describe("ingest of .eml files", () => {
  it("one .eml file makes one e-mail item with the Message-ID as its source id", async () => {
    const parsed = await collectFeedbackFile(fixture("replied-with-signature.eml"));
    expect(parsed.summary).toMatchObject({ format: "eml", sourceType: "email", layout: "mime", read: 1, valid: 1 });
    expect(parsed.items[0]!.item).toMatchObject({ sourceId: "email:reply-002@mail.example.com", channel: "eml" });
  });

  it("a folder of .eml files, subfolders included, is read in name order", async () => {
    const parsed = await collectFeedbackFile(folderOf(["forwarded.eml", "dmarc-fail.eml", "iso-8859-1.eml"]));
    expect(parsed.summary).toMatchObject({ format: "eml", read: 3, valid: 3, rejected: 0 });
    expect(parsed.items.map((i) => i.item.sourceId)).toHaveLength(3);
  });

  it("a message saved with an mbox separator line reads the same alone as in a folder", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "eml-separator-"));
    const file = path.join(folder, "saved.eml");
    writeFileSync(
      file,
      "From alice@example.com Tue Nov 24 09:12:44 2026\nSubject: Export fails\nMessage-ID: <sep-1@example.com>\n\nExporting to PDF gives a blank page.\nFrom then on nothing works.\n",
    );
    const alone = await collectFeedbackFile(file);
    const inFolder = await collectFeedbackFile(folder);
    expect(alone.summary).toMatchObject({ read: 1, valid: 1 });
    expect(inFolder.items.map((i) => i.item)).toEqual(alone.items.map((i) => i.item));
    expect(alone.items[0]!.item).toMatchObject({
      sourceId: "email:sep-1@example.com",
      author: "alice@example.com",
      text: expect.stringContaining("From then on nothing works."),
    });
  });

  it("a message with SES's spam verdict FAIL makes no item and says why, naming the file", async () => {
    const folder = folderOf(["ses-spam-verdict.eml", "forwarded.eml"]);
    const parsed = await collectFeedbackFile(folder);
    expect(parsed.summary).toMatchObject({ read: 2, valid: 1, rejected: 1 });
    expect(parsed.errors[0]).toMatchObject({
      file: path.join(folder, "ses-spam-verdict.eml"),
      message: expect.stringContaining("spam verdict FAIL"),
      recordId: "email:spam-004@bulk.example.net",
    });
  });

  it("an unreadable message in a folder is reported by file and the others are still read", async () => {
    const folder = folderOf(["forwarded.eml"]);
    writeFileSync(path.join(folder, "empty-body.eml"), "From: a@example.com\nSubject: nothing\n\n");
    const parsed = await collectFeedbackFile(folder);
    expect(parsed.summary).toMatchObject({ read: 2, valid: 1, rejected: 1 });
    expect(parsed.errors[0]!.file).toBe(path.join(folder, "empty-body.eml"));
    expect(parsed.errors[0]!.message).toMatch(/^empty-body\.eml: text/);
  });

  it("a folder without .eml files is refused with what it accepts", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "no-eml-"));
    await expect(collectFeedbackFile(folder)).rejects.toThrow(/directory/);
  });

  it("--source review on mail is refused with the flag to drop", async () => {
    await expect(collectFeedbackFile(fixture("forwarded.eml"), { source: "review" })).rejects.toMatchObject({
      hint: expect.stringContaining("--source review"),
    });
  });
});

describe("ingest of mbox archives", () => {
  it("reads every message, unescapes >From lines and decodes each message's own charset", async () => {
    const parsed = await collectFeedbackFile(fixture("archive.mbox"));
    expect(parsed.summary).toMatchObject({ format: "mbox", read: 4, valid: 2 });
    const [first, reply] = parsed.items.map((i) => i.item);
    expect(first!.text).toBe(
      "The app crashes right after the splash screen since 3.2.1.\nFrom now on I will use the web version.",
    );
    expect(reply!.text).toBe("Same here on my Pixel 7, it crashes on start. Très gênant.");
    expect(reply!.metadata).toMatchObject({ email: { inReplyTo: "mbox-1@example.de" } });
  });

  it("an unreadable message is reported by its index and the archive goes on", async () => {
    const parsed = await collectFeedbackFile(fixture("archive.mbox"));
    expect(parsed.errors[0]).toMatchObject({
      line: null,
      message: "message 2: text: the message has no text body (it holds only 1 attachment(s))",
    });
  });

  it("a message repeated in the archive is kept once, the repeat reported against the first", async () => {
    const parsed = await collectFeedbackFile(fixture("archive.mbox"));
    expect(parsed.errors[1]).toMatchObject({
      recordId: "email:mbox-1@example.de",
      message: expect.stringMatching(/^message 4: the same message as message 1/),
    });
  });

  it("items carry the app given to the ingest", async () => {
    const parsed = await collectFeedbackFile(fixture("archive.mbox"), { app: "com.example.notes" });
    expect(parsed.items.every((i) => i.item.app === "com.example.notes")).toBe(true);
  });
});
