import { FeedbackTriageError } from "../../sdk/errors.js";
import { parseFeedbackFile, type RowError, type SourceKind, type TextEncoding } from "../../sdk/ingest/index.js";
import type { EventPublisher } from "../../sdk/ports/event-bus.js";
import type { ExistingTicketKeys } from "../../sdk/ports/tickets.js";
import type { FeedbackItem } from "../../sdk/schemas/feedback.js";
import type { IngestSummary } from "./ingest-summary.js";
import { type PublishFailure, publishItems } from "./publish-items.js";

export type FileSummary = IngestSummary["files"][number];

export interface PublishFilePorts {
  /** Null for a dry run: the file is parsed and validated, nothing is published. */
  bus: EventPublisher | null;
  /** When given, items that already have a ticket are skipped and counted in `duplicatesSkipped`. */
  tickets?: ExistingTicketKeys;
}

export type { PublishFailure };

export interface PublishFileOptions {
  source?: SourceKind;
  /** Overrides encoding detection. */
  encoding?: TextEncoding;
  /** The app of items whose record names none (no package name, app id or `app` column). */
  app?: string;
  /** Items per publish call. */
  batchSize?: number;
  /** Row errors kept in the result; the rest are counted in `errorsOmitted`. */
  maxErrors?: number;
  /** What the summary and its messages call the file (default: its path), e.g. the S3 URI of a download. */
  displayName?: string;
  /** After each batch and at the end of the file. */
  /** After each batch: records read, items enqueued, and how many bytes of the file are read. */
  onProgress?: (progress: { read: number; enqueued: number; bytesRead: number }) => void;
  /** Every warning of a kept row (a dropped value, bytes read as U+FFFD), kept or not. */
  onRowWarning?: (warning: RowError) => void;
  /** Every rejected row, kept or not. */
  onRowRejected?: (error: RowError) => void;
  /** Every item the bus refused, kept or not (it is also a row error without a line). */
  onPublishFailed?: (item: FeedbackItem, failure: PublishFailure) => void;
  /** Stops reading after the batch in hand once aborted (the rest of the file is left unread). */
  signal?: AbortSignal;
}

export interface PublishedFile {
  summary: FileSummary;
  errors: RowError[];
  errorsOmitted: number;
  /** Warnings of kept rows, up to `maxErrors`; the rest are counted in `warningsOmitted`. */
  warnings: RowError[];
  warningsOmitted: number;
  /**
   * Why the file stopped before its end (`summary.error` says it in words), null when it was read to the end.
   * A `ValidationError` means the file itself is unreadable; anything else is the backend's.
   */
  failure: FeedbackTriageError | null;
}

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_MAX_ERRORS = 200;

/**
 * The one publish path for a feedback file (CLI and dashboard ingest, S3 upload Lambda): streams it through
 * the parsers, publishes valid items as FeedbackReceived events in batches, skips items that already have
 * a ticket, and reports bad rows without stopping. A FeedbackTriageError ends the file, reported with the
 * counts so far; any other error is thrown.
 */
export async function publishFile(
  path: string,
  ports: PublishFilePorts,
  options: PublishFileOptions = {},
): Promise<PublishedFile> {
  const run = new FileRun(path, ports, options);
  try {
    await run.readToEnd();
  } catch (error) {
    if (!(error instanceof FeedbackTriageError)) throw error;
    run.fail(error);
  }
  return run.result();
}

class FileRun {
  private readonly name: string;
  private readonly summary: FileSummary;
  private readonly errors: RowError[] = [];
  private bytesRead = 0;
  private errorsOmitted = 0;
  private readonly warnings: RowError[] = [];
  private warningsOmitted = 0;
  private failure: FeedbackTriageError | null = null;
  private batch: FeedbackItem[] = [];

  constructor(
    private readonly path: string,
    private readonly ports: PublishFilePorts,
    private readonly options: PublishFileOptions,
  ) {
    this.name = options.displayName ?? path;
    this.summary = {
      file: this.name,
      format: null,
      sourceType: null,
      read: 0,
      valid: 0,
      rejected: 0,
      warned: 0,
      enqueued: 0,
      duplicatesSkipped: 0,
      error: null,
    };
  }

  async readToEnd(): Promise<void> {
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    const events = parseFeedbackFile(this.path, {
      source: this.options.source,
      encoding: this.options.encoding,
      app: this.options.app,
      onBytesRead: (bytes) => {
        this.bytesRead = bytes;
      },
    });
    for (let next = await events.next(); ; next = await events.next()) {
      if (next.done) {
        this.summary.format = next.value.format;
        this.summary.sourceType = next.value.sourceType;
        break;
      }
      this.summary.read += 1;
      if (next.value.kind === "error") {
        this.rejectRow(next.value.error);
      } else {
        this.summary.valid += 1;
        if (next.value.warnings) this.warnRow(next.value.warnings);
        this.batch.push(next.value.item);
        if (this.batch.length >= batchSize) await this.flush();
      }
      if (this.options.signal?.aborted) {
        // Closes the file; the rows read so far are published below.
        await events.return(undefined as never);
        break;
      }
    }
    await this.flush();
  }

  fail(error: FeedbackTriageError): void {
    this.failure = error;
    this.summary.error = this.named(error.hint ? `${error.message} ${error.hint}` : error.message);
  }

  result(): PublishedFile {
    return {
      summary: this.summary,
      errors: this.errors,
      errorsOmitted: this.errorsOmitted,
      warnings: this.warnings,
      warningsOmitted: this.warningsOmitted,
      failure: this.failure,
    };
  }

  private async flush(): Promise<void> {
    const items = this.batch;
    this.batch = [];
    if (items.length > 0 && this.ports.bus) await this.publish(this.ports.bus, items);
    this.options.onProgress?.({
      read: this.summary.read,
      enqueued: this.summary.enqueued,
      bytesRead: this.bytesRead,
    });
  }

  private async publish(bus: EventPublisher, items: FeedbackItem[]): Promise<void> {
    const published = await publishItems(items, { bus, tickets: this.ports.tickets }, { "feedback.file": this.name });
    this.summary.duplicatesSkipped += published.duplicatesSkipped;
    this.summary.enqueued += published.enqueued;
    for (const { item, failure } of published.failed) {
      this.summary.rejected += 1;
      this.options.onPublishFailed?.(item, failure);
      this.keep({
        file: this.name,
        line: null,
        field: null,
        message: `Event for ${item.sourceId} was not accepted by the bus: ${failure.errorCode} ${failure.errorMessage}`,
        hint: "Run the ingest again; items already turned into tickets are skipped.",
      });
    }
  }

  private rejectRow(parsed: RowError): void {
    const error = { ...parsed, file: this.name, message: this.named(parsed.message) };
    this.summary.rejected += 1;
    this.options.onRowRejected?.(error);
    this.keep(error);
  }

  private warnRow(parsed: RowError[]): void {
    this.summary.warned += 1;
    for (const warning of parsed) {
      const named = { ...warning, file: this.name, message: this.named(warning.message) };
      this.options.onRowWarning?.(named);
      if (this.warnings.length < (this.options.maxErrors ?? DEFAULT_MAX_ERRORS)) this.warnings.push(named);
      else this.warningsOmitted += 1;
    }
  }

  private keep(error: RowError): void {
    if (this.errors.length < (this.options.maxErrors ?? DEFAULT_MAX_ERRORS)) this.errors.push(error);
    else this.errorsOmitted += 1;
  }

  /** Messages name the path they were read from; a display name replaces it (a temporary download says its URI). */
  private named(message: string): string {
    return this.name === this.path ? message : message.split(this.path).join(this.name);
  }
}
