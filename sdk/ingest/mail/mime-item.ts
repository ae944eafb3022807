import { type AddressObject, type ParsedMail, simpleParser } from "mailparser";
import { FeedbackItem, MAX_TEXT_CHARS } from "../../schemas/feedback.js";
import { describeTextFault, findTextFault } from "../../schemas/safe-text.js";
import { computeContentHash } from "../content-hash.js";
import { htmlToText } from "../html-text.js";
import { replyText } from "./reply-text.js";
import { type MailVerdicts, verdictsFromHeaders } from "./verdicts.js";

export type { MailVerdicts } from "./verdicts.js";

export interface MailItemOptions {
  /** The id used when the mail has no Message-ID header (SES's message id, or `<file>#<index>`). */
  fallbackId: string;
  /** Where the mail came from: "ses" for the receipt rule, "eml" or "mbox" for files. Default "ses". */
  channel?: string;
  envelopeSender?: string | null;
  /** SES's receipt verdicts; without them, the verdict headers the message itself carries (if any). */
  verdicts?: MailVerdicts;
  receivedAt?: Date;
  /** The app the mail is about (an ingest's `--app`). */
  app?: string | null;
}

export type MailItemResult =
  | { item: FeedbackItem; dropped: string[]; verdicts: MailVerdicts | null }
  | { issues: string[] };

/** Longest original body kept beside the stripped text (the item's metadata is capped at 64 KiB of JSON). */
const MAX_ORIGINAL_CHARS = 30_000;
const MAX_REFERENCES = 20;

function firstAddress(value: AddressObject | AddressObject[] | undefined): {
  address: string | null;
  name: string | null;
} {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  const first = list.flatMap((v) => v.value)[0];
  return { address: first?.address ?? null, name: first?.name || null };
}

function allAddresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((v) => v.value.map((a) => a.address ?? "")).filter(Boolean);
}

/**
 * The input rule (sdk/schemas/safe-text.ts) for a value the item can do without (subject, sender name or
 * address, recipients, attachment names, thread ids): one holding a NUL or a lone surrogate is dropped, and said so.
 */
function storableOrNull(value: string | null | undefined, name: string, dropped: string[]): string | null {
  if (value === null || value === undefined) return null;
  const fault = findTextFault(value);
  if (fault === null) return value;
  dropped.push(`${name} holds ${describeTextFault(fault)}; dropped`);
  return null;
}

const bareId = (id: string) => id.replace(/^<|>$/g, "").trim();

/** In-Reply-To and References as bare ids, oldest first: the first reference is the thread's first message. */
function threadOf(mail: ParsedMail, dropped: string[]): { inReplyTo: string | null; references: string[] } {
  const references = (Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : [])
    .flatMap((value) => value.split(/\s+/))
    .map(bareId)
    .filter(Boolean);
  const inReplyTo = mail.inReplyTo ? bareId(mail.inReplyTo.split(/\s+/)[0] ?? "") : null;
  return {
    inReplyTo: storableOrNull(inReplyTo || null, "in-reply-to", dropped),
    references: references
      .slice(0, MAX_REFERENCES)
      .filter((id) => storableOrNull(id, "references", dropped) !== null)
      .map((id) => id.slice(0, 190)),
  };
}

function bodyText(mail: ParsedMail): string {
  const text = mail.text?.trim() || (typeof mail.html === "string" ? htmlToText(mail.html) : "");
  return text.replace(/\r\n/g, "\n");
}

/**
 * A raw MIME message -> the standard e-mail item, with a real MIME parser (mailparser); the one path for mail from
 * SES and from files (.eml, mbox). Subject, the plain-text body (or the HTML body converted to text when there is
 * no text part) with quoted replies and signatures stripped (the original kept in `metadata.email.original`), the
 * sender, the charset decoded (ISO-8859-1, windows-1252, ...), attachments listed in metadata but not included,
 * In-Reply-To/References kept for threading. A DMARC failure marks the item for review (`metadata.reviewRequired`,
 * `metadata.quarantine`), which the worker honours (see worker/review-flags.ts). Returns the reasons when the mail
 * makes no valid item: a body that is empty, too long, or holds a NUL or lone surrogate (the input rule); other
 * values holding one are dropped and listed in `dropped`.
 */
export async function mailToItem(raw: Buffer, options: MailItemOptions): Promise<MailItemResult> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipHtmlToText: true });
  } catch (error) {
    return { issues: [`the message cannot be parsed as MIME (${(error as Error).message})`] };
  }
  const body = bodyText(mail);
  const textFault = findTextFault(body);
  if (textFault) return { issues: [`body: holds ${describeTextFault(textFault)}`] };
  if (!body.trim()) {
    const parts = mail.attachments.length > 0 ? `only ${mail.attachments.length} attachment(s)` : "nothing";
    return { issues: [`text: the message has no text body (it holds ${parts})`] };
  }
  const reply = replyText(body);
  if (reply.text.length > MAX_TEXT_CHARS) {
    return {
      issues: [
        `text: the body is ${reply.text.length.toLocaleString("en")} characters without quotes and signature, over the ${MAX_TEXT_CHARS.toLocaleString("en")} an item may hold`,
      ],
    };
  }
  const dropped: string[] = [];
  const subject = storableOrNull(mail.subject?.trim() || null, "subject", dropped);
  const sender = firstAddress(mail.from);
  const from = {
    address: storableOrNull(sender.address, "from address", dropped),
    name: storableOrNull(sender.name, "from name", dropped),
  };
  const headerId = storableOrNull(mail.messageId ? bareId(mail.messageId) : null, "message-id", dropped) ?? undefined;
  const language = mail.headers.get("content-language");
  const verdicts = options.verdicts ?? verdictsFromHeaders(mail.headers);
  const quarantined = verdicts?.dmarc === "FAIL";
  const parsed = FeedbackItem.safeParse({
    sourceType: "email",
    sourceId: `email:${(headerId || options.fallbackId).slice(0, 190)}`,
    channel: options.channel ?? "ses",
    text: reply.text,
    subject,
    author: from.address ?? options.envelopeSender ?? null,
    app: options.app ?? null,
    submittedAt:
      mail.date && !Number.isNaN(mail.date.getTime())
        ? mail.date.toISOString()
        : (options.receivedAt?.toISOString() ?? null),
    language: typeof language === "string" ? storableOrNull(language.slice(0, 40), "content-language", dropped) : null,
    metadata: {
      email: {
        messageId: headerId ?? null,
        ...(options.channel === undefined || options.channel === "ses" ? { sesMessageId: options.fallbackId } : {}),
        from,
        to: allAddresses(mail.to).filter((address) => storableOrNull(address, "to address", dropped) !== null),
        attachments: mail.attachments.map((a) => ({
          filename: storableOrNull(a.filename, "attachment name", dropped),
          contentType: a.contentType,
          size: a.size,
        })),
        htmlOnly: !mail.text?.trim() && Boolean(mail.html),
        ...threadOf(mail, dropped),
        ...(reply.stripped
          ? {
              original: body.slice(0, MAX_ORIGINAL_CHARS),
              ...(body.length > MAX_ORIGINAL_CHARS ? { originalTruncated: true } : {}),
            }
          : {}),
      },
      ...(verdicts ? { verdicts } : {}),
      ...(quarantined
        ? { reviewRequired: true, quarantine: { reason: "dmarc_fail", dmarcPolicy: verdicts?.dmarcPolicy ?? null } }
        : {}),
    },
    contentHash: computeContentHash(reply.text || " ", subject),
  });
  if (!parsed.success) return { issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  return { item: parsed.data, dropped, verdicts };
}
