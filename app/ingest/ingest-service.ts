import path from "node:path";
import type { Backend } from "../../sdk/backend.js";
import { FeedbackTriageError } from "../../sdk/errors.js";
import { parseFeedbackFile, type RowError } from "../../sdk/ingest/index.js";
import type { PublishEntry } from "../../sdk/ports/event-bus.js";
import { FEEDBACK_RECEIVED } from "../../sdk/schemas/events.js";
import type { FeedbackItem } from "../../sdk/schemas/feedback.js";
import { ticketKey } from "../../sdk/store/ticket-writer.js";
import type { IngestSummary } from "./ingest-summary.js";

export interface IngestOptions {
  source?: "review" | "email";
  dryRun?: boolean;
  /** Row errors kept in the summary; the rest are counted. */
  maxErrors?: number;
  batchSize?: number;
  onProgress?: (progress: { file: string; read: number; enqueued: number }) => void;
}

type FileSummary = IngestSummary["files"][number];

export async function ingestFiles(
  backend: Backend | null,
  files: readonly string[],
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const maxErrors = options.maxErrors ?? 200;
  const errors: RowError[] = [];
  let errorsOmitted = 0;
  const keepError = (error: RowError) => {
    if (errors.length < maxErrors) errors.push(error);
    else errorsOmitted += 1;
  };
  const summaries: FileSummary[] = [];
  for (const file of files) {
    summaries.push(await ingestOne(backend, file, options, keepError));
  }
  const sum = (field: "read" | "valid" | "rejected" | "enqueued" | "duplicatesSkipped") =>
    summaries.reduce((total, s) => total + s[field], 0);
  return {
    dryRun: Boolean(options.dryRun),
    files: summaries,
    totals: {
      read: sum("read"),
      valid: sum("valid"),
      rejected: sum("rejected"),
      enqueued: sum("enqueued"),
      duplicatesSkipped: sum("duplicatesSkipped"),
    },
    errors: errors.map((e) => ({ file: e.file, line: e.line, field: e.field, message: e.message, hint: e.hint })),
    errorsOmitted,
    processed: null,
  };
}

async function ingestOne(
  backend: Backend | null,
  file: string,
  options: IngestOptions,
  keepError: (error: RowError) => void,
): Promise<FileSummary> {
  const summary: FileSummary = {
    file,
    format: null,
    sourceType: null,
    read: 0,
    valid: 0,
    rejected: 0,
    enqueued: 0,
    duplicatesSkipped: 0,
    error: null,
  };
  const batchSize = options.batchSize ?? 500;
  let batch: FeedbackItem[] = [];
  const flush = async () => {
    if (batch.length === 0 || options.dryRun || !backend) {
      batch = [];
      return;
    }
    const existing = await backend.tickets.existingKeys(batch.map((i) => ticketKey(i.sourceType, i.sourceId)));
    const fresh = batch.filter((i) => !existing.has(ticketKey(i.sourceType, i.sourceId)));
    summary.duplicatesSkipped += batch.length - fresh.length;
    batch = [];
    if (fresh.length === 0) return;
    const result = await backend.bus.publish(fresh.map(toEvent));
    summary.enqueued += fresh.length - result.failed.length;
    for (const failure of result.failed) {
      const item = fresh[failure.index]!;
      keepError({
        file,
        line: null,
        field: null,
        message: `Event for ${item.sourceId} was not accepted by the bus: ${failure.errorCode} ${failure.errorMessage}`,
        hint: "Run the ingest again; items already turned into tickets are skipped.",
      });
      summary.rejected += 1;
    }
  };
  try {
    const stream = parseFeedbackFile(file, { source: options.source });
    while (true) {
      const next = await stream.next();
      if (next.done) {
        summary.format = next.value.format;
        summary.sourceType = next.value.sourceType;
        break;
      }
      summary.read += 1;
      if (next.value.kind === "error") {
        summary.rejected += 1;
        keepError(next.value.error);
        continue;
      }
      summary.valid += 1;
      batch.push(next.value.item);
      if (batch.length >= batchSize) {
        await flush();
        options.onProgress?.({ file, read: summary.read, enqueued: summary.enqueued });
      }
    }
    await flush();
    options.onProgress?.({ file, read: summary.read, enqueued: summary.enqueued });
  } catch (error) {
    if (!(error instanceof FeedbackTriageError)) throw error;
    summary.error = error.hint ? `${error.message} ${error.hint}` : error.message;
  }
  return summary;
}

function toEvent(item: FeedbackItem): PublishEntry {
  return {
    source: `feedback.${item.sourceType}`,
    detailType: FEEDBACK_RECEIVED,
    detail: { item },
  };
}

export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") ? file : relative || file;
}
