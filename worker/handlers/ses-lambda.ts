import { EventBridgePublisher } from "../../sdk/aws/event-bus.js";
import { S3ObjectReader } from "../../sdk/aws/objects.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { BackendError } from "../../sdk/errors.js";
import { mailToItem } from "../../sdk/ingest/mail/mime-item.js";
import { droppedByVerdict, type MailVerdicts } from "../../sdk/ingest/mail/verdicts.js";
import { createLog, log as defaultLog, type LogFn } from "../../sdk/log.js";
import type { EventPublisher } from "../../sdk/ports/event-bus.js";
import type { ObjectReader } from "../../sdk/ports/objects.js";
import { feedbackReceivedEntry } from "../../sdk/schemas/events.js";
import { startTracing } from "../../sdk/tracing/setup.js";
import { currentTraceContext } from "../../sdk/tracing/tracing.js";
import { awsClients, awsSettings, traced } from "./aws-runtime.js";

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
  const reason = droppedByVerdict(verdicts);
  if (reason) {
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
  const result = await deps.bus.publish([feedbackReceivedEntry(built.item, currentTraceContext())]);
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
const tracing = startTracing(config.tracing, { service: "ses-lambda" });
let deps: SesDeps | undefined;

/**
 * SES receipt rule: an S3 action storing the raw message (bucket FEEDBACK_MAIL_BUCKET, default the uploads
 * bucket; prefix FEEDBACK_MAIL_PREFIX, default "mail/") followed by this Lambda action.
 */
export const handler = traced(
  tracing,
  "ses.invoke",
  createSesHandler(() => {
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
  }),
);
