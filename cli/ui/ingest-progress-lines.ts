import { formatCount } from "../presenters/format.js";
/** What `ingest` is doing, as the progress view shows it; pure, so the wording is tested without a terminal. */
export interface ProgressState {
  phase: "opening" | "reading" | "processing";
  /** Where the data goes, for the opening line: the embedded folder, or "PostgreSQL". */
  target: string;
  /** True for an embedded database that does not exist yet (creating one takes a while). */
  creating: boolean;
  file: string;
  fileIndex: number;
  fileCount: number;
  /** Records read and items enqueued over all files so far. */
  read: number;
  enqueued: number;
  /** Bytes read of all the files so far, out of their total size (0 when unknown: a folder of messages). */
  bytesRead: number;
  bytesTotal: number;
  readingDone: boolean;
  /** With --wait: items processed into tickets (or found to be duplicates) so far. */
  processed: number;
  wait: boolean;
  /** ms timestamps: when reading and processing began (null before). */
  readingSince: number | null;
  processingSince: number | null;
}

export interface ProgressLine {
  id: "opening" | "reading" | "processing";
  text: string;
  /** A bar's share (0-1) drawn before the text, when there is one. */
  bar?: number;
  dim?: boolean;
}

function perSecond(done: number, since: number | null, now: number): number | null {
  if (since === null) return null;
  const seconds = (now - since) / 1000;
  return seconds >= 1 && done > 0 ? done / seconds : null;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The lines of the progress view at `now` (ms). */
export function progressLines(state: ProgressState, now: number): ProgressLine[] {
  if (state.phase === "opening") {
    return [
      {
        id: "opening",
        text: state.creating
          ? `Creating the embedded database in ${state.target} (the first run takes 15-40 s)…`
          : `Opening ${state.target}…`,
        dim: true,
      },
    ];
  }
  const lines: ProgressLine[] = [readingLine(state, now)];
  if (state.wait) lines.push(processingLine(state, now));
  return lines;
}

/** The share of the files' bytes read (0-1), or null when their size is unknown. */
function readShare(state: ProgressState): number | null {
  return state.bytesTotal > 0 ? Math.min(1, state.bytesRead / state.bytesTotal) : null;
}

/** "12.5 MB": sizes as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const [value, unit] =
    bytes < 1024 ** 2
      ? [bytes / 1024, "KB"]
      : bytes < 1024 ** 3
        ? [bytes / 1024 ** 2, "MB"]
        : [bytes / 1024 ** 3, "GB"];
  return `${value.toFixed(value < 10 ? 1 : 0)} ${unit}`;
}

/** Time left for the reading, from the share of bytes read so far and how long that took. */
function readingLeft(share: number | null, since: number | null, now: number): number | null {
  if (share === null || since === null || share <= 0 || share >= 1) return null;
  const seconds = (now - since) / 1000;
  return seconds >= 1 ? (seconds * (1 - share)) / share : null;
}

function readingLine(state: ProgressState, now: number): ProgressLine {
  const counts = `${formatCount(state.read)} records, ${formatCount(state.enqueued)} enqueued`;
  if (state.readingDone) {
    const what = state.fileCount > 1 ? `${state.fileCount} files` : state.file;
    return { id: "reading", text: `read ${what}: ${counts}`, dim: true };
  }
  const files = state.fileCount > 1 ? ` (file ${state.fileIndex} of ${state.fileCount})` : "";
  const share = readShare(state);
  const rate = perSecond(state.read, state.readingSince, now);
  const left = readingLeft(share, state.readingSince, now);
  const text = [
    `reading ${state.file}${files}: ${counts}`,
    ...(share === null ? [] : [`${Math.floor(share * 100)}% of ${formatBytes(state.bytesTotal)}`]),
    ...(rate ? [`${formatCount(Math.round(rate))}/s`] : []),
    ...(left === null ? [] : [`about ${formatDuration(left)} left`]),
  ].join(" · ");
  return { id: "reading", text, ...(share === null ? {} : { bar: share }) };
}

/** The items the files will give: known once read, else estimated from the share of bytes read (null: unknown). */
function expectedItems(state: ProgressState): { total: number; estimated: boolean } | null {
  if (state.readingDone) return { total: state.enqueued, estimated: false };
  const share = readShare(state);
  if (share === null || share < 0.01 || state.enqueued === 0) return null;
  return { total: Math.max(state.enqueued, Math.round(state.enqueued / share)), estimated: true };
}

function processingLine(state: ProgressState, now: number): ProgressLine {
  const expected = expectedItems(state);
  const total = expected?.total ?? state.enqueued;
  const share = total > 0 ? Math.min(1, state.processed / total) : 0;
  const rate = perSecond(state.processed, state.processingSince, now);
  const of =
    expected === null ? `${formatCount(total)}+` : `${expected.estimated ? "about " : ""}${formatCount(total)}`;
  const parts = [`${formatCount(state.processed)} of ${of} processed`];
  if (rate) parts.push(`${formatCount(Math.round(rate))}/s`);
  if (rate && expected && total > state.processed) {
    parts.push(`about ${formatDuration((total - state.processed) / rate)} left`);
  }
  if (state.phase !== "processing") parts.push("waiting for the first batch");
  return { id: "processing", text: parts.join(" · "), bar: share };
}
