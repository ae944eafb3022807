/// <reference path="./mbox-reader.d.ts" />
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { mboxReader } from "mbox-reader";
import type { FeedbackItem } from "../../schemas/feedback.js";
import type { RowError } from "../errors.js";
import { IngestFileError } from "../errors.js";
import { type InspectedFile, readBytes } from "../read-file.js";
import type { ParseEvent, ParseOptions, ParseSummary } from "../types.js";
import { mailToItem } from "./mime-item.js";
import { droppedByVerdict } from "./verdicts.js";

export type MailFormat = "eml" | "mbox";

/** Larger single .eml files are refused (a mail server's usual limit is 25-50 MB). */
const MAX_EML_BYTES = 64 * 1024 * 1024;

/** Header names that open real messages; one of them among the first lines makes a file a message. */
const MESSAGE_HEADERS =
  /^(return-path|received|delivered-to|from|to|subject|date|message-id|mime-version|x-[\w-]+|dkim-signature|authentication-results|reply-to|content-type):/i;

/**
 * A mail file from its extension, else its start: an mbox opens with a `From ` separator line followed by headers;
 * a single message (.eml) opens with header lines. Anything else is left to the CSV/JSON readers.
 */
export function detectMailFormat(path: string, sample: string): MailFormat | null {
  const extension = extname(path).toLowerCase();
  if (extension === ".eml") return "eml";
  if (extension === ".mbox" || extension === ".mbx") return "mbox";
  const lines = sample.trimStart().split("\n", 12);
  if (/^From \S+/.test(lines[0] ?? "") && MESSAGE_HEADERS.test(lines[1] ?? "")) return "mbox";
  const blank = lines.indexOf("");
  const header = (blank === -1 ? lines : lines.slice(0, blank)).filter((line) => !/^\s/.test(line));
  if (header.length >= 2 && header.slice(0, 4).every((line) => /^[A-Za-z][\w-]*:/.test(line))) {
    return header.some((line) => MESSAGE_HEADERS.test(line)) ? "eml" : null;
  }
  return null;
}

/** The .eml files under a folder (sorted, subfolders included); null when `path` is not a folder. */
export async function emlFilesUnder(path: string): Promise<string[] | null> {
  const info = await stat(path).catch(() => null);
  if (!info?.isDirectory()) return null;
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && extname(entry.name).toLowerCase() === ".eml")
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Counts and duplicate Message-IDs for one mail file or folder. */
class MailSession {
  read = 0;
  valid = 0;
  rejected = 0;
  warned = 0;
  private readonly firstOfId = new Map<string, string>();

  constructor(
    private readonly options: ParseOptions,
    private readonly channel: MailFormat,
  ) {}

  /** One raw message -> the event to yield; `where` names it in messages ("message 12", a file name). */
  async accept(raw: Buffer, file: string, where: string, envelope: Envelope = {}): Promise<ParseEvent> {
    this.read++;
    const fallbackId = `sha256:${createHash("sha256").update(raw).digest("hex").slice(0, 32)}`;
    const built = await mailToItem(raw, {
      fallbackId,
      channel: this.channel,
      envelopeSender: envelope.returnPath ?? null,
      receivedAt: envelope.time,
      app: this.options.app ?? null,
    });
    if ("issues" in built) return this.reject(file, where, null, built.issues.join("; "), UNREADABLE_HINT);
    const { item } = built;
    const dropped = droppedByVerdict(built.verdicts);
    if (dropped) {
      return this.reject(file, where, item.sourceId, `${dropped} in the message's own headers`, VERDICT_HINT);
    }
    const first = this.firstOfId.get(item.sourceId);
    if (first !== undefined) {
      return this.reject(
        file,
        where,
        item.sourceId,
        `the same message as ${first} (${item.sourceId}); the first was kept`,
        "Nothing to do: a message that appears twice makes one ticket.",
      );
    }
    this.firstOfId.set(item.sourceId, where);
    this.valid++;
    return this.itemEvent(item, file, where, built.dropped);
  }

  summary(path: string, format: MailFormat, file: InspectedFile | null): ParseSummary {
    return {
      file: path,
      format,
      sourceType: "email",
      layout: "mime",
      encoding: file?.encoding ?? "utf-8",
      read: this.read,
      valid: this.valid,
      rejected: this.rejected,
      warned: this.warned,
      complete: true,
    };
  }

  private itemEvent(item: FeedbackItem, file: string, where: string, dropped: string[]): ParseEvent {
    const line = this.read;
    if (dropped.length === 0) return { kind: "item", item, line };
    this.warned++;
    const warnings: RowError[] = dropped.map((message) => ({
      file,
      line: null,
      field: null,
      message: `${where}: ${message}`,
      hint: "The message was kept without that value.",
      recordId: item.sourceId,
    }));
    return { kind: "item", item, line, warnings };
  }

  /** A message that is not read at all (too large). */
  refuse(file: string, where: string, recordId: string | null, message: string, hint: string): ParseEvent {
    this.read++;
    return this.reject(file, where, recordId, message, hint);
  }

  private reject(file: string, where: string, recordId: string | null, message: string, hint: string): ParseEvent {
    this.rejected++;
    return { kind: "error", error: { file, line: null, field: null, message: `${where}: ${message}`, hint, recordId } };
  }
}

interface Envelope {
  returnPath?: string | null;
  time?: Date;
}

const UNREADABLE_HINT = "The message makes no feedback item; the rest of the mail was read. Check it in a mail client.";
const VERDICT_HINT =
  "No ticket is made, as for mail received through SES. If it is not spam, remove the X-SES-*-Verdict header and ingest it again.";

/**
 * An mbox archive (Gmail Takeout, Thunderbird, mutt; mboxo and mboxrd) or one .eml message, streamed message by
 * message (mbox-reader). An unreadable message is reported with its index and never stops the archive.
 * Items are numbered by message in `line` (the index in the archive, 1-based).
 */
export async function* parseMailFile(
  file: InspectedFile,
  format: MailFormat,
  options: ParseOptions,
): AsyncGenerator<ParseEvent, ParseSummary, undefined> {
  rejectForcedReview(file.path, options);
  const session = new MailSession(options, format);
  if (format === "eml") {
    const { raw, envelope } = singleMessage(await readEml(file.path, file.size));
    yield await session.accept(raw, file.path, basename(file.path), envelope);
    return session.summary(file.path, format, file);
  }
  let index = 0;
  for await (const message of mboxReader(readBytes(file))) {
    index++;
    yield await session.accept(message.content, file.path, `message ${index}`, {
      returnPath: message.returnPath || null,
      time: message.time || undefined,
    });
  }
  return session.summary(file.path, format, file);
}

/** A folder of .eml files (a help desk's export), one message per file, in name order. */
export async function* parseMailFolder(
  folder: string,
  files: string[],
  options: ParseOptions,
): AsyncGenerator<ParseEvent, ParseSummary, undefined> {
  rejectForcedReview(folder, options);
  const session = new MailSession(options, "eml");
  for (const path of files) {
    const info = await stat(path);
    if (info.size > MAX_EML_BYTES) yield session.refuse(path, basename(path), null, ...oversize(info.size));
    else {
      const { raw, envelope } = singleMessage(await readFile(path));
      yield await session.accept(raw, path, basename(path), envelope);
    }
  }
  return session.summary(folder, "eml", null);
}

/**
 * One message from an .eml file, alone or in a folder alike. Some tools save it with mbox's `From <sender> <date>`
 * separator line on top: that line is its envelope (the sender and time the mbox reader would give), not a header.
 */
export function singleMessage(raw: Buffer): { raw: Buffer; envelope: Envelope } {
  if (raw.subarray(0, 5).toString("latin1") !== "From ") return { raw, envelope: {} };
  const newline = raw.indexOf(10);
  const line = raw
    .subarray(5, newline === -1 ? raw.length : newline)
    .toString("latin1")
    .trim();
  const [sender = "", ...date] = line.split(/\s+/);
  const time = new Date(date.join(" "));
  return {
    raw: newline === -1 ? Buffer.alloc(0) : raw.subarray(newline + 1),
    envelope: {
      returnPath: sender.includes("@") ? sender : null,
      time: Number.isNaN(time.getTime()) ? undefined : time,
    },
  };
}

async function readEml(path: string, size: number): Promise<Buffer> {
  if (size > MAX_EML_BYTES) {
    const [message, hint] = oversize(size);
    throw new IngestFileError({ file: path, message, hint });
  }
  return readFile(path);
}

function oversize(size: number): [message: string, hint: string] {
  return [
    `the message is ${Math.round(size / 1024 / 1024)} MB, over the ${MAX_EML_BYTES / 1024 / 1024} MB limit for one .eml file`,
    "Remove its attachments (the body is what is triaged) or leave the file out.",
  ];
}

function rejectForcedReview(path: string, options: ParseOptions): void {
  if (options.source === "review") {
    throw new IngestFileError({
      file: path,
      message: "this is e-mail (MIME), not app reviews",
      hint: "Drop --source review (or use --source email).",
    });
  }
}
