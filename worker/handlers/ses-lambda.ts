import { type AddressObject, simpleParser } from "mailparser";
import { htmlToText } from "../../app/webhooks/html-text.js";
import { EventBridgePublisher } from "../../sdk/aws/event-bus.js";
import { S3ObjectReader } from "../../sdk/aws/objects.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { BackendError } from "../../sdk/errors.js";
import { computeContentHash } from "../../sdk/ingest/content-hash.js";
import { createLog, log as defaultLog, type LogFn } from "../../sdk/log.js";
import type { EventPublisher } from "../../sdk/ports/event-bus.js";
import type { ObjectReader } from "../../sdk/ports/objects.js";
import { feedbackReceivedEntry } from "../../sdk/schemas/events.js";
import { FeedbackItem } from "../../sdk/schemas/feedback.js";
import { describeTextFault, findTextFault } from "../../sdk/schemas/safe-text.js";
import { awsClients, awsSettings } from "./aws-runtime.js";

type Verdict = { status?: string } | undefined;

/** The parts of an SES receipt event (Lambda action) this handler reads. */
export interface SesRecord {
  eventSource?: string;
  ses: {
    mail: {
      messageId: string;
      source?: string;
      timestamp?: string;
      commonHeaders?: { subject?: string; from?: string[] };
    };
    receipt: {
      spamVerdict?: Verdict;
      virusVerdict?: Verdict;
      spfVerdict?: Verdict;
      dkimVerdict?: Verdict;
      dmarcVerdict?: Verdict;
      dmarcPolicy?: string;
    };
  };
}

export interface SesDeps {
  objects: ObjectReader;
  bus: EventPublisher;
  /** Where the receipt rule's S3 action stores raw messages: `<mailPrefix><messageId>`. */
  mailBucket: string;
  mailPrefix: string;
  log?: LogFn;
}

export type MailOutcome =
  | { messageId: string; outcome: "published"; sourceId: string; quarantined: boolean }
  | { messageId: string; outcome: "dropped"; reason: string }
  | { messageId: string; outcome: "rejected"; reason: string };

export interface MailVerdicts {
  spam: string;
  virus: string;
  spf: string;
  dkim: string;
  dmarc: string;
  dmarcPolicy: string | null;
}

export function verdictsOf(record: SesRecord): MailVerdicts {
  const r = record.ses.receipt;
  const status = (v: Verdict) => (v?.status ?? "GRAY").toUpperCase();
  return {
    spam: status(r.spamVerdict),
    virus: status(r.virusVerdict),
    spf: status(r.spfVerdict),
    dkim: status(r.dkimVerdict),
    dmarc: status(r.dmarcVerdict),
    dmarcPolicy: r.dmarcPolicy ?? null,
  };
}

export interface MailItemOptions {
  /** SES's id of the message, used when the mail has no Message-ID header. */
  fallbackId: string;
  envelopeSender?: string | null;
  verdicts?: MailVerdicts;
  receivedAt?: Date;
}

function firstAddress(value: AddressObject | AddressObject[] | undefined): {
  address: string | null;
  name: string | null;
} {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  const first = list.flatMap((v) => v.value)[0];
  return { address: first?.address ?? null, name: first?.name || null };
}

/**
 * The input rule (sdk/schemas/safe-text.ts) for a value the item can do without (subject, sender name or
 * address, recipients, attachment names): one holding a NUL or a lone surrogate is dropped, and said so.
 */
function storableOrNull(value: string | null | undefined, name: string, dropped: string[]): string | null {
  if (value === null || value === undefined) return null;
  const fault = findTextFault(value);
  if (fault === null) return value;
  dropped.push(`${name} holds ${describeTextFault(fault)}; dropped`);
  return null;
}

function allAddresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((v) => v.value.map((a) => a.address ?? "")).filter(Boolean);
}

/**
 * A raw MIME message -> the standard e-mail item, with a real MIME parser (mailparser): subject, the
 * plain-text body (or the HTML body converted to text when there is no text part), the sender, the
 * charset decoded (ISO-8859-1, windows-1252, ...), attachments listed in metadata but not included.
 * A DMARC failure marks the item for review (`metadata.reviewRequired`, `metadata.quarantine`), which the
 * worker honours (see worker/review-flags.ts). Returns the reasons when the mail makes no valid item: a body that
 * is empty, too long, or holds a NUL or lone surrogate (the input rule); other values holding one are dropped and
 * listed in `dropped`.
 */
export async function mailToItem(
  raw: Buffer,
  options: MailItemOptions,
): Promise<{ item: FeedbackItem; dropped: string[] } | { issues: string[] }> {
  let mail: Awaited<ReturnType<typeof simpleParser>>;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipHtmlToText: true });
  } catch (error) {
    return { issues: [`the message cannot be parsed as MIME (${(error as Error).message})`] };
  }
  const text = (mail.text?.trim() || (typeof mail.html === "string" ? htmlToText(mail.html) : "")).replace(
    /\r\n/g,
    "\n",
  );
  const textFault = findTextFault(text);
  if (textFault) return { issues: [`body: holds ${describeTextFault(textFault)}`] };
  const dropped: string[] = [];
  const subject = storableOrNull(mail.subject?.trim() || null, "subject", dropped);
  const sender = firstAddress(mail.from);
  const from = {
    address: storableOrNull(sender.address, "from address", dropped),
    name: storableOrNull(sender.name, "from name", dropped),
  };
  const headerId = storableOrNull(mail.messageId?.replace(/^<|>$/g, "").trim(), "message-id", dropped) ?? undefined;
  const language = mail.headers.get("content-language");
  const verdicts = options.verdicts;
  const quarantined = verdicts?.dmarc === "FAIL";
  const parsed = FeedbackItem.safeParse({
    sourceType: "email",
    sourceId: `email:${(headerId || options.fallbackId).slice(0, 190)}`,
    channel: "ses",
    text,
    subject,
    author: from.address ?? options.envelopeSender ?? null,
    submittedAt:
      mail.date && !Number.isNaN(mail.date.getTime())
        ? mail.date.toISOString()
        : (options.receivedAt?.toISOString() ?? null),
    language: typeof language === "string" ? storableOrNull(language.slice(0, 40), "content-language", dropped) : null,
    metadata: {
      email: {
        messageId: headerId ?? null,
        sesMessageId: options.fallbackId,
        from: from,
        to: allAddresses(mail.to).filter((address) => storableOrNull(address, "to address", dropped) !== null),
        attachments: mail.attachments.map((a) => ({
          filename: storableOrNull(a.filename, "attachment name", dropped),
          contentType: a.contentType,
          size: a.size,
        })),
        htmlOnly: !mail.text?.trim() && Boolean(mail.html),
      },
      ...(verdicts ? { verdicts } : {}),
      ...(quarantined
        ? { reviewRequired: true, quarantine: { reason: "dmarc_fail", dmarcPolicy: verdicts?.dmarcPolicy ?? null } }
        : {}),
    },
    contentHash: computeContentHash(text || " ", subject),
  });
  if (!parsed.success) return { issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  return { item: parsed.data, dropped };
}

/**
 * One SES receipt record: verdicts first (spam or virus FAIL: no ticket, logged), then the raw message
 * from S3, the item, and a publish to the bus. A mail that makes no valid item (empty body, over the
 * text limit) is logged and skipped; S3 or bus failures throw so the invocation is retried.
 */
export async function processMail(deps: SesDeps, record: SesRecord): Promise<MailOutcome> {
  const log = deps.log ?? defaultLog;
  const { messageId, source } = record.ses.mail;
  const verdicts = verdictsOf(record);
  const from = record.ses.mail.commonHeaders?.from?.[0] ?? source ?? null;
  if (verdicts.virus === "FAIL" || verdicts.spam === "FAIL") {
    const reason = verdicts.virus === "FAIL" ? "virus verdict FAIL" : "spam verdict FAIL";
    log("warn", "ses.dropped", { messageId, from, reason, verdicts });
    return { messageId, outcome: "dropped", reason };
  }
  const raw = await deps.objects.read(deps.mailBucket, `${deps.mailPrefix}${messageId}`);
  const built = await mailToItem(raw, {
    fallbackId: messageId,
    envelopeSender: source ?? null,
    verdicts,
    receivedAt: record.ses.mail.timestamp ? new Date(record.ses.mail.timestamp) : undefined,
  });
  if ("issues" in built) {
    const reason = built.issues.join("; ");
    log("error", "ses.rejected", { messageId, from, reason });
    return { messageId, outcome: "rejected", reason };
  }
  if (built.dropped.length > 0) log("warn", "ses.values_dropped", { messageId, from, dropped: built.dropped });
  const quarantined = verdicts.dmarc === "FAIL";
  if (quarantined)
    log("warn", "ses.quarantined", { messageId, from, reason: "dmarc_fail", dmarcPolicy: verdicts.dmarcPolicy });
  const result = await deps.bus.publish([feedbackReceivedEntry(built.item)]);
  if (result.failed.length > 0) {
    throw new BackendError(
      `Mail ${messageId} was not accepted by the bus: ${result.failed.map((f) => `${f.errorCode} ${f.errorMessage}`).join("; ")}`,
    );
  }
  log("info", "ses.published", {
    messageId,
    from,
    sourceId: built.item.sourceId,
    quarantined,
    eventId: result.eventIds[0],
  });
  return { messageId, outcome: "published", sourceId: built.item.sourceId, quarantined };
}

export function createSesHandler(
  deps: () => SesDeps,
): (event: { Records?: SesRecord[] }) => Promise<{ disposition: "CONTINUE"; results: MailOutcome[] }> {
  return async (event) => {
    const resolved = deps();
    const results: MailOutcome[] = [];
    for (const record of event.Records ?? []) {
      if (record.ses) results.push(await processMail(resolved, record));
    }
    return { disposition: "CONTINUE", results };
  };
}

// Parsed once per container, at load: a malformed variable fails the function's init with its name.
const config = loadRuntimeConfig(process.env);
let deps: SesDeps | undefined;

/**
 * SES receipt rule: an S3 action storing the raw message (bucket FEEDBACK_MAIL_BUCKET, default the uploads
 * bucket; prefix FEEDBACK_MAIL_PREFIX, default "mail/") followed by this Lambda action.
 */
export const handler = createSesHandler(() => {
  if (!deps) {
    const settings = awsSettings(config.aws, ["eventBusName"]);
    const mailBucket = config.mail.bucket ?? awsSettings(config.aws, ["uploadsBucketName"]).uploadsBucketName;
    const clients = awsClients(config.aws);
    deps = {
      objects: new S3ObjectReader(clients.s3),
      bus: new EventBridgePublisher(clients.eventBridge, { eventBusName: settings.eventBusName }),
      mailBucket,
      mailPrefix: config.mail.prefix,
      log: createLog(config.log.level),
    };
  }
  return deps;
});
