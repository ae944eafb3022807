import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { S3ArtifactStore } from "../../sdk/aws/artifacts.js";
import { EventBridgePublisher } from "../../sdk/aws/event-bus.js";
import { S3ObjectReader } from "../../sdk/aws/objects.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { FeedbackTriageError } from "../../sdk/errors.js";
import { parseFeedbackFile, type SourceKind } from "../../sdk/ingest/index.js";
import { createLog, log as defaultLog, type LogFn } from "../../sdk/log.js";
import type { ArtifactStore } from "../../sdk/ports/artifacts.js";
import type { EventPublisher } from "../../sdk/ports/event-bus.js";
import type { ObjectReader } from "../../sdk/ports/objects.js";
import { FEEDBACK_RECEIVED } from "../../sdk/schemas/events.js";
import type { FeedbackItem } from "../../sdk/schemas/feedback.js";
import { awsClients, awsSettings } from "./aws-runtime.js";
import { objectsOf } from "./s3-objects.js";

export interface UploadDeps {
  objects: ObjectReader;
  bus: EventPublisher;
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
  errors: { line: number | null; field: string | null; message: string }[];
  /** Why the file as a whole could not be read (then nothing of it was published). */
  error: string | null;
}

const MAX_ERRORS_KEPT = 100;

/**
 * One uploaded CSV/JSON/NDJSON object: streamed to a temporary file, read with the CLI's own parsers
 * (`parseFeedbackFile`), valid items published to the bus in batches. A bad row is counted, logged and
 * skipped; it never stops the file. A file that cannot be read at all (empty, binary, unknown layout) is
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
  const summary: UploadSummary = { uri, format: null, read: 0, published: 0, rejected: 0, errors: [], error: null };
  const maxBytes = deps.maxBytes ?? 400 * 1024 * 1024;
  if (size !== null && size > maxBytes) {
    summary.error = `the object is ${size} bytes; the limit is ${maxBytes}`;
    log("error", "upload.too_large", { uri, size, maxBytes });
    await writeReport(deps, bucket, key, summary, log);
    return summary;
  }
  const extension = path
    .extname(key)
    .toLowerCase()
    .replace(/[^.a-z0-9]/g, "")
    .slice(0, 10);
  const file = path.join(deps.tmpDir ?? tmpdir(), `ft-upload-${randomUUID()}${extension}`);
  const local = (message: string) => message.split(file).join(uri);
  const batchSize = deps.batchSize ?? 100;
  let batch: FeedbackItem[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    const result = await deps.bus.publish(
      items.map((item) => ({ source: `feedback.${item.sourceType}`, detailType: FEEDBACK_RECEIVED, detail: { item } })),
    );
    summary.published += items.length - result.failed.length;
    for (const failure of result.failed) {
      summary.rejected += 1;
      const message = `not accepted by the bus: ${failure.errorCode} ${failure.errorMessage} (source id ${items[failure.index]?.sourceId})`;
      if (summary.errors.length < MAX_ERRORS_KEPT) summary.errors.push({ line: null, field: null, message });
      log("error", "upload.publish_failed", {
        uri,
        sourceId: items[failure.index]?.sourceId,
        errorCode: failure.errorCode,
      });
    }
  };
  try {
    const bytes = await deps.objects.downloadToFile(bucket, key, file);
    if (bytes > maxBytes) throw new Error(`the object is ${bytes} bytes; the limit is ${maxBytes}`);
    const events = parseFeedbackFile(file, { source: sourceHint(key) });
    for (let next = await events.next(); ; next = await events.next()) {
      if (next.done) {
        summary.format = next.value.format;
        break;
      }
      summary.read += 1;
      if (next.value.kind === "error") {
        const error = next.value.error;
        summary.rejected += 1;
        if (summary.errors.length < MAX_ERRORS_KEPT)
          summary.errors.push({ line: error.line, field: error.field, message: local(error.message) });
        log("warn", "upload.row_rejected", {
          uri,
          line: error.line,
          field: error.field,
          message: local(error.message),
        });
        continue;
      }
      batch.push(next.value.item);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    log("info", "upload.done", {
      uri,
      format: summary.format,
      read: summary.read,
      published: summary.published,
      rejected: summary.rejected,
    });
  } catch (error) {
    if (!(error instanceof FeedbackTriageError) || error.code !== "VALIDATION") throw error;
    summary.error = local(error.hint ? `${error.message} ${error.hint}` : error.message);
    log("error", "upload.unreadable", { uri, error: summary.error, publishedBefore: summary.published });
  } finally {
    await rm(file, { force: true });
  }
  await writeReport(deps, bucket, key, summary, log);
  return summary;
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
let deps: UploadDeps | undefined;

/** S3 "object created" notification (or its EventBridge form) on the uploads bucket. */
export const handler = createUploadHandler(() => {
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
});
