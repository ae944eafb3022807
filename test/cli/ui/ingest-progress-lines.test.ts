import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatDuration,
  type ProgressState,
  progressLines,
} from "../../../cli/ui/ingest-progress-lines.js";

const T0 = 1_000_000;

function state(overrides: Partial<ProgressState> = {}): ProgressState {
  return {
    phase: "reading",
    target: "/data/.feedback-triage",
    creating: false,
    file: "reviews.csv",
    fileIndex: 1,
    fileCount: 1,
    read: 0,
    enqueued: 0,
    bytesRead: 0,
    bytesTotal: 0,
    readingDone: false,
    processed: 0,
    wait: true,
    readingSince: T0,
    processingSince: T0,
    ...overrides,
  };
}

const texts = (s: ProgressState, now: number) => progressLines(s, now).map((line) => line.text);

describe("ingest progress lines", () => {
  it("say a new embedded database is being created, and how long that takes", () => {
    expect(texts(state({ phase: "opening", creating: true }), T0)).toEqual([
      "Creating the embedded database in /data/.feedback-triage (the first run takes 15-40 s)…",
    ]);
  });

  it("say which database is being opened when it exists", () => {
    expect(texts(state({ phase: "opening", target: "PostgreSQL" }), T0)).toEqual(["Opening PostgreSQL…"]);
  });

  it("show the file, its place among the files, the records read and the read rate", () => {
    const s = state({ fileIndex: 2, fileCount: 3, read: 20_000, enqueued: 19_990 });
    expect(texts(s, T0 + 4_000)[0]).toBe(
      "reading reviews.csv (file 2 of 3): 20,000 records, 19,990 enqueued · 5,000/s",
    );
  });

  it("mark the total as growing (+) while files are still being read", () => {
    const s = state({ phase: "processing", read: 3_000, enqueued: 3_000, processed: 1_000 });
    expect(texts(s, T0 + 2_000)[1]).toBe("1,000 of 3,000+ processed · 500/s");
  });

  it("sum up the files once every one is read", () => {
    const s = state({ fileIndex: 2, fileCount: 2, read: 60, enqueued: 58, readingDone: true });
    expect(texts(s, T0 + 2_000)[0]).toBe("read 2 files: 60 records, 58 enqueued");
  });

  it("give the rate and the time left once every file is read", () => {
    const s = state({ phase: "processing", read: 10_000, enqueued: 10_000, processed: 4_000, readingDone: true });
    const [reading, processing] = progressLines(s, T0 + 2_000);
    expect(reading).toMatchObject({ text: "read reviews.csv: 10,000 records, 10,000 enqueued", dim: true });
    expect(processing).toMatchObject({ text: "4,000 of 10,000 processed · 2,000/s · about 3 s left", bar: 0.4 });
  });

  it("draw the reading from the share of bytes read, with the files' size and the time left", () => {
    const s = state({ read: 20_000, enqueued: 20_000, bytesRead: 25 * 2 ** 20, bytesTotal: 100 * 2 ** 20 });
    const [reading] = progressLines(s, T0 + 10_000);
    expect(reading).toMatchObject({
      text: "reading reviews.csv: 20,000 records, 20,000 enqueued · 25% of 100 MB · 2,000/s · about 30 s left",
      bar: 0.25,
    });
  });

  it("estimate the items to process from the share read, so the bar does not sit at 100% while reading", () => {
    const s = state({
      phase: "processing",
      read: 3_000,
      enqueued: 3_000,
      processed: 2_000,
      bytesRead: 30,
      bytesTotal: 100,
    });
    const processing = progressLines(s, T0 + 2_000)[1]!;
    expect(processing).toMatchObject({
      text: "2,000 of about 10,000 processed · 1,000/s · about 8 s left",
      bar: 0.2,
    });
  });

  it("draw no reading bar when the size is unknown (a folder of messages)", () => {
    expect(progressLines(state({ read: 10, enqueued: 10 }), T0 + 2_000)[0]!.bar).toBeUndefined();
  });

  it("say it waits for the first batch before any item is processed", () => {
    expect(texts(state({ read: 500, enqueued: 500 }), T0 + 500)[1]).toBe(
      "0 of 500+ processed · waiting for the first batch",
    );
  });

  it("show no processing line without --wait", () => {
    expect(progressLines(state({ wait: false, read: 10, enqueued: 10 }), T0 + 2_000)).toHaveLength(1);
  });
});

describe("formatBytes", () => {
  it("reads as bytes, KB, MB or GB", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(250 * 2 ** 20)).toBe("250 MB");
    expect(formatBytes(3 * 2 ** 30)).toBe("3.0 GB");
  });
});

describe("formatDuration", () => {
  it("reads as seconds, minutes or hours", () => {
    expect(formatDuration(0.2)).toBe("1 s");
    expect(formatDuration(95)).toBe("1 min 35 s");
    expect(formatDuration(7_500)).toBe("2 h 5 min");
  });
});
