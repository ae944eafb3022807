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

function readingLine(state: ProgressState, now: number): ProgressLine {
  const counts = `${formatCount(state.read)} records, ${formatCount(state.enqueued)} enqueued`;
  if (state.readingDone) {
    const what = state.fileCount > 1 ? `${state.fileCount} files` : state.file;
    return { id: "reading", text: `read ${what}: ${counts}`, dim: true };
  }
  const files = state.fileCount > 1 ? ` (file ${state.fileIndex} of ${state.fileCount})` : "";
  const rate = perSecond(state.read, state.readingSince, now);
  return {
    id: "reading",
    text: `reading ${state.file}${files}: ${counts}${rate ? ` · ${formatCount(Math.round(rate))}/s` : ""}`,
  };
}

function processingLine(state: ProgressState, now: number): ProgressLine {
  const total = state.enqueued;
  const share = total > 0 ? Math.min(1, state.processed / total) : 0;
  const rate = perSecond(state.processed, state.processingSince, now);
  const parts = [`${formatCount(state.processed)} of ${formatCount(total)}${state.readingDone ? "" : "+"} processed`];
  if (rate) parts.push(`${formatCount(Math.round(rate))}/s`);
  if (rate && state.readingDone && total > state.processed) {
    parts.push(`about ${formatDuration((total - state.processed) / rate)} left`);
  }
  if (state.phase !== "processing") parts.push("waiting for the first batch");
  return { id: "processing", text: parts.join(" · "), bar: share };
}
