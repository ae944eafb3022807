import { stat } from "node:fs/promises";
import path from "node:path";
import type { Backend } from "../../sdk/backend.js";
import type { RowError, TextEncoding } from "../../sdk/ingest/index.js";
import { type IngestSummary, rowErrorJson } from "./ingest-summary.js";
import { type FileSummary, type PublishFilePorts, publishFile } from "./publish-file.js";

export interface IngestOptions {
  source?: "review" | "email";
  /** Overrides encoding detection for every file. */
  encoding?: TextEncoding;
  /** The app of items whose record names none (no package name, app id or `app` column); default: `defaultApp`. */
  app?: string;
  dryRun?: boolean;
  /** Row errors kept in the summary; the rest are counted. */
  maxErrors?: number;
  batchSize?: number;
  /**
   * After each batch: the file, its records read and items enqueued, and the bytes read of all the files so far out
   * of their total size (what the progress bar and the time left are drawn from while reading).
   */
  onProgress?: (progress: IngestProgress) => void;
  /** Stops after the batch in hand once aborted: the rest of the file and the files after it are left unread. */
  signal?: AbortSignal;
}

export interface IngestProgress {
  file: string;
  read: number;
  enqueued: number;
  bytesRead: number;
  bytesTotal: number;
}

export async function ingestFiles(
  backend: Backend | null,
  files: readonly string[],
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const maxErrors = options.maxErrors ?? 200;
  const ports: PublishFilePorts =
    options.dryRun || !backend ? { bus: null } : { bus: backend.bus, tickets: backend.tickets };
  const errors: RowError[] = [];
  let errorsOmitted = 0;
  const warnings: RowError[] = [];
  let warningsOmitted = 0;
  const summaries: FileSummary[] = [];
  // Items whose record names no app: --app, else the stored `defaultApp` (config set defaultApp <name>).
  const app = options.app ?? (backend && !options.dryRun ? (await backend.configuration.load()).defaultApp : undefined);
  const sizes = await Promise.all(files.map(fileBytes));
  const bytesTotal = sizes.reduce((total, size) => total + size, 0);
  let bytesBefore = 0;
  for (const [index, file] of files.entries()) {
    if (options.signal?.aborted) break;
    const size = sizes[index]!;
    const published = await publishFile(file, ports, {
      source: options.source,
      encoding: options.encoding,
      app,
      batchSize: options.batchSize,
      maxErrors: maxErrors - errors.length,
      onProgress: (progress) =>
        options.onProgress?.({
          file,
          ...progress,
          bytesRead: bytesBefore + Math.min(progress.bytesRead, size),
          bytesTotal,
        }),
      signal: options.signal,
    });
    bytesBefore += size;
    summaries.push(published.summary);
    errors.push(...published.errors);
    errorsOmitted += published.errorsOmitted;
    const room = Math.max(0, maxErrors - warnings.length);
    warnings.push(...published.warnings.slice(0, room));
    warningsOmitted += published.warningsOmitted + Math.max(0, published.warnings.length - room);
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
    errors: errors.map(rowErrorJson),
    errorsOmitted,
    warnings: warnings.map(rowErrorJson),
    warningsOmitted,
    processed: null,
  };
}

/** A file's size in bytes; 0 for a folder of messages or a path that is not there (its own error says why). */
async function fileBytes(file: string): Promise<number> {
  const info = await stat(file).catch(() => null);
  return info?.isFile() ? info.size : 0;
}

export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") ? file : relative || file;
}
