import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type PublishedFile, publishFile } from "../../app/ingest/publish-file.js";
import { S3ArtifactStore } from "../../sdk/aws/artifacts.js";
import { EventBridgePublisher } from "../../sdk/aws/event-bus.js";
import { S3ObjectReader } from "../../sdk/aws/objects.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { FeedbackTriageError } from "../../sdk/errors.js";
import type { SourceKind } from "../../sdk/ingest/index.js";
import { createLog, log as defaultLog, type LogFn } from "../../sdk/log.js";
import type { ArtifactStore } from "../../sdk/ports/artifacts.js";
import type { EventPublisher } from "../../sdk/ports/event-bus.js";
import type { ObjectReader } from "../../sdk/ports/objects.js";
import type { ExistingTicketKeys } from "../../sdk/ports/tickets.js";
import { startTracing } from "../../sdk/tracing/setup.js";
import { awsClients, awsSettings, traced } from "./aws-runtime.js";
import { objectsOf } from "./s3-objects.js";

export interface UploadDeps {
  objects: ObjectReader;
  bus: EventPublisher;
  /**
   * When given, items that already have a ticket are not published again. The deployed Lambda has no
   * database connection and goes without: the worker's commit is idempotent, this only saves the work.
   */
  tickets?: ExistingTicketKeys;
  /** Where a report of each file goes (`uploads/<bucket>/<key>.report.json`); optional. */
  artifacts?: ArtifactStore;
  tmpDir?: string;
  /** Items per publish call (the EventBridge adapter splits into its own chunks of 10). */
  batchSize?: number;
  /** Objects larger than this are refused (Lambda's /tmp is 512 MB unless configured). Default 400 MB. */
  maxBytes?: number;
  log?: LogFn;
}

export interface UploadSummary {
  uri: string;
  format: string | null;
  read: number;
  published: number;
  rejected: number;
  /** Items that already had a ticket (only with `tickets` in the deps). */
  duplicatesSkipped: number;
  errors: { line: number | null; field: string | null; message: string }[];
  /** Why the file as a whole could not be read (then nothing of it was published). */
  error: string | null;
}

const MAX_ERRORS_KEPT = 100;

/**
 * One uploaded CSV/JSON/NDJSON object: streamed to a temporary file and published by the CLI's own
 * `publishFile` (parse, validate, batch, skip items with a ticket when `tickets` is given). A bad row is
 * counted, logged and skipped; it never stops the file. A file that cannot be read at all (empty, binary, unknown layout) is
 * logged and reported, not retried. S3 or bus failures throw, so the invocation is retried.
 */
export async function processUpload(
  deps: UploadDeps,
  bucket: string,
  key: string,
  size: number | null = null,
): Promise<UploadSummary> {
  const log = deps.log ?? defaultLog;
  const uri = `s3://${bucket}/${key}`;
  const maxBytes = deps.maxBytes ?? 400 * 1024 * 1024;
  if (size !== null && size > maxBytes) {
    const summary = emptySummary(uri, `the object is ${size} bytes; the limit is ${maxBytes}`);
    log("error", "upload.too_large", { uri, size, maxBytes });
    await writeReport(deps, bucket, key, summary, log);
    return summary;
  }
  const file = path.join(deps.tmpDir ?? tmpdir(), `ft-upload-${randomUUID()}${safeExtension(key)}`);
  let summary: UploadSummary;
  try {
    const bytes = await deps.objects.downloadToFile(bucket, key, file);
    if (bytes > maxBytes) throw new Error(`the object is ${bytes} bytes; the limit is ${maxBytes}`);
    summary = toUploadSummary(uri, await publishUpload(deps, file, uri, sourceHint(key), log));
  } catch (error) {
    if (!isUnreadable(error)) throw error;
    summary = emptySummary(uri, describe(error).split(file).join(uri));
    log("error", "upload.unreadable", { uri, error: summary.error, publishedBefore: 0 });
  } finally {
    await rm(file, { force: true });
  }
  await writeReport(deps, bucket, key, summary, log);
  return summary;
}

async function publishUpload(
  deps: UploadDeps,
  file: string,
  uri: string,
  source: SourceKind | undefined,
  log: LogFn,
): Promise<PublishedFile> {
  const published = await publishFile(
    file,
    { bus: deps.bus, tickets: deps.tickets },
    {
      source,
      batchSize: deps.batchSize ?? 100,
      maxErrors: MAX_ERRORS_KEPT,
      displayName: uri,
      onRowRejected: (error) =>
        log("warn", "upload.row_rejected", { uri, line: error.line, field: error.field, message: error.message }),
      onRowWarning: (warning) =>
        log("warn", "upload.row_warning", { uri, line: warning.line, field: warning.field, message: warning.message }),
      onPublishFailed: (item, failure) =>
        log("error", "upload.publish_failed", { uri, sourceId: item.sourceId, errorCode: failure.errorCode }),
    },
  );
  const { summary, failure } = published;
  if (failure && !isUnreadable(failure)) throw failure;
  if (failure) log("error", "upload.unreadable", { uri, error: summary.error, publishedBefore: summary.enqueued });
  else
    log("info", "upload.done", {
      uri,
      format: summary.format,
      read: summary.read,
      published: summary.enqueued,
      rejected: summary.rejected,
      duplicatesSkipped: summary.duplicatesSkipped,
    });
  return published;
}

/** A file (or request) that a retry would not fix: reported, not retried; anything else is thrown so it is. */
function isUnreadable(error: unknown): error is FeedbackTriageError {
  return error instanceof FeedbackTriageError && error.code === "VALIDATION";
}

function describe(error: FeedbackTriageError): string {
  return error.hint ? `${error.message} ${error.hint}` : error.message;
}

function toUploadSummary(uri: string, { summary, errors }: PublishedFile): UploadSummary {
  return {
    uri,
    format: summary.format,
    read: summary.read,
    published: summary.enqueued,
    rejected: summary.rejected,
    duplicatesSkipped: summary.duplicatesSkipped,
    errors: errors.map((e) => ({ line: e.line, field: e.field, message: e.message })),
    error: summary.error,
  };
}

function emptySummary(uri: string, error: string): UploadSummary {
  return { uri, format: null, read: 0, published: 0, rejected: 0, duplicatesSkipped: 0, errors: [], error };
}

/** The temporary file keeps the key's extension (the parsers look at it), stripped of anything odd. */
function safeExtension(key: string): string {
  return path
    .extname(key)
    .toLowerCase()
    .replace(/[^.a-z0-9]/g, "")
    .slice(0, 10);
}

/** `reviews/...` and `emails/...` prefixes force the source kind; anything else is detected from the headers. */
function sourceHint(key: string): SourceKind | undefined {
  if (/(^|\/)reviews?\//i.test(key)) return "review";
  if (/(^|\/)e?mails?\//i.test(key)) return "email";
  return undefined;
}

async function writeReport(
  deps: UploadDeps,
  bucket: string,
  key: string,
  summary: UploadSummary,
  log: LogFn,
): Promise<void> {
  if (!deps.artifacts) return;
  const reportKey = `uploads/${bucket}/${key
    .split("/")
    .filter((s) => s && s !== "." && s !== "..")
    .join("/")}.report.json`;
  await deps.artifacts.put(reportKey, JSON.stringify(summary, null, 2), "application/json").catch((error: unknown) => {
    log("warn", "upload.report_failed", { uri: summary.uri, error: (error as Error).message });
  });
}

export function createUploadHandler(deps: () => UploadDeps): (event: unknown) => Promise<{ files: UploadSummary[] }> {
  return async (event) => {
    const resolved = deps();
    const files: UploadSummary[] = [];
    for (const object of objectsOf(event))
      files.push(await processUpload(resolved, object.bucket, object.key, object.size));
    return { files };
  };
}

// Parsed once per container, at load: a malformed variable fails the function's init with its name.
const config = loadRuntimeConfig(process.env);
const tracing = startTracing(config.tracing, { service: "upload-lambda" });
let deps: UploadDeps | undefined;

/** S3 "object created" notification (or its EventBridge form) on the uploads bucket. */
export const handler = traced(
  tracing,
  "upload.invoke",
  createUploadHandler(() => {
    if (!deps) {
      const settings = awsSettings(config.aws, ["eventBusName"]);
      const clients = awsClients(config.aws);
      deps = {
        objects: new S3ObjectReader(clients.s3),
        bus: new EventBridgePublisher(clients.eventBridge, { eventBusName: settings.eventBusName }),
        artifacts: settings.artifactsBucketName
          ? new S3ArtifactStore(clients.s3, { bucket: settings.artifactsBucketName })
          : undefined,
        log: createLog(config.log.level),
      };
    }
    return deps;
  }),
);
