import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishFile } from "../../../app/ingest/publish-file.js";
import { ValidationError } from "../../../sdk/errors.js";
import type { EventPublisher, PublishEntry } from "../../../sdk/ports/event-bus.js";
import { FEEDBACK_RECEIVED } from "../../../sdk/schemas/events.js";
import { ticketKey } from "../../../sdk/store/ticket-writer.js";
import { RecordingBus } from "../webhooks/webhook-fixtures.js";

const HEADER = "review_id,user_name,rating,review_text,date,app_version,device";

function review(id: string, rating = 4): string {
  return `${id},user,${rating},Review ${id} says the app is slow,2026-11-02,3.2.0,Pixel 8`;
}

const sourceIds = (entries: readonly PublishEntry[]) =>
  entries.map((e) => (e.detail.item as { sourceId: string }).sourceId);

describe("publishFile", () => {
  let dir: string;
  let n = 0;
  async function csv(...rows: string[]): Promise<string> {
    n += 1;
    const file = path.join(dir, `reviews-${n}.csv`);
    await writeFile(file, `${[HEADER, ...rows].join("\n")}\n`);
    return file;
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "publish-file-"));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("publishes each valid item as a FeedbackReceived entry from feedback.<source type>", async () => {
    const bus = new RecordingBus();
    const { summary } = await publishFile(await csv(review("R1"), review("R2")), { bus });
    expect(bus.published).toEqual([
      expect.objectContaining({ source: "feedback.app_store_review", detailType: FEEDBACK_RECEIVED }),
      expect.objectContaining({ source: "feedback.app_store_review", detailType: FEEDBACK_RECEIVED }),
    ]);
    expect(sourceIds(bus.published)).toEqual(["R1", "R2"]);
    expect(summary).toMatchObject({ format: "csv", sourceType: "app_store_review", read: 2, valid: 2, enqueued: 2 });
  });

  it("publishes in batches of batchSize items", async () => {
    const calls: number[] = [];
    const bus = new RecordingBus();
    const counting: EventPublisher = {
      publish: (entries) => {
        calls.push(entries.length);
        return bus.publish(entries);
      },
    };
    await publishFile(await csv(review("R1"), review("R2"), review("R3")), { bus: counting }, { batchSize: 2 });
    expect(calls).toEqual([2, 1]);
  });

  it("reports a bad row with file, line, field, message and hint, and keeps reading", async () => {
    const file = await csv(review("R1", 9), review("R2"));
    const bus = new RecordingBus();
    const { summary, errors } = await publishFile(file, { bus });
    expect(errors).toEqual([
      expect.objectContaining({
        file,
        line: 2,
        field: "rating",
        message: expect.any(String),
        hint: expect.any(String),
      }),
    ]);
    expect(summary).toMatchObject({ read: 2, valid: 1, rejected: 1, enqueued: 1 });
    expect(sourceIds(bus.published)).toEqual(["R2"]);
  });

  it("skips items that already have a ticket and counts them", async () => {
    const ticketed = new Set([ticketKey("app_store_review", "R1")]);
    const tickets = { existingKeys: async (keys: readonly string[]) => new Set(keys.filter((k) => ticketed.has(k))) };
    const bus = new RecordingBus();
    const { summary } = await publishFile(await csv(review("R1"), review("R2")), { bus, tickets });
    expect(sourceIds(bus.published)).toEqual(["R2"]);
    expect(summary).toMatchObject({ valid: 2, enqueued: 1, duplicatesSkipped: 1 });
  });

  it("publishes nothing without a bus (a dry run), yet counts and validates every row", async () => {
    const { summary, errors } = await publishFile(await csv(review("R1"), review("R2", 9)), { bus: null });
    expect(summary).toMatchObject({ read: 2, valid: 1, rejected: 1, enqueued: 0 });
    expect(errors).toHaveLength(1);
  });

  it("rejects an item the bus refuses, as an error without a line, and tells onPublishFailed", async () => {
    const bus = new RecordingBus();
    bus.fail = "entry";
    const refused: string[] = [];
    const { summary, errors } = await publishFile(
      await csv(review("R1")),
      { bus },
      { onPublishFailed: (item, failure) => refused.push(`${item.sourceId} ${failure.errorCode}`) },
    );
    expect(summary).toMatchObject({ valid: 1, enqueued: 0, rejected: 1 });
    expect(errors).toEqual([
      expect.objectContaining({ line: null, field: null, message: expect.stringMatching(/R1/) }),
    ]);
    expect(refused).toEqual(["R1 InternalFailure"]);
  });

  it("keeps maxErrors row errors, counts the rest, and still tells onRowRejected of each", async () => {
    const seen: number[] = [];
    const file = await csv(review("R1", 9), review("R2", 9), review("R3", 9));
    const result = await publishFile(
      file,
      { bus: null },
      { maxErrors: 1, onRowRejected: (error) => seen.push(error.line ?? 0) },
    );
    expect(result.errors.map((e) => e.line)).toEqual([2]);
    expect(result.errorsOmitted).toBe(2);
    expect(seen).toEqual([2, 3, 4]);
  });

  it("reports a file that cannot be read in the summary, with the error, instead of throwing", async () => {
    const file = path.join(dir, "empty.csv");
    await writeFile(file, "");
    const { summary, failure } = await publishFile(file, { bus: new RecordingBus() });
    expect(failure).toBeInstanceOf(ValidationError);
    expect(summary.error).toContain(file);
    expect(summary.read).toBe(0);
  });

  it("calls the file by its display name in the summary and in messages", async () => {
    const file = path.join(dir, "empty-too.csv");
    await writeFile(file, "");
    const bad = await publishFile(file, { bus: null }, { displayName: "s3://uploads/empty.csv" });
    expect(bad.summary.file).toBe("s3://uploads/empty.csv");
    expect(bad.summary.error).toContain("s3://uploads/empty.csv");
    expect(bad.summary.error).not.toContain(file);
    const rows = await publishFile(await csv(review("R1", 9)), { bus: null }, { displayName: "upload.csv" });
    expect(rows.errors[0]?.file).toBe("upload.csv");
  });

  it("throws what is not a FeedbackTriageError, e.g. a bus that is down", async () => {
    const bus = new RecordingBus();
    bus.fail = "throw";
    await expect(publishFile(await csv(review("R1")), { bus })).rejects.toThrow(/bus down/);
  });

  it("reports progress after each batch and at the end of the file, with the bytes read", async () => {
    const progress: { read: number; enqueued: number; bytesRead: number }[] = [];
    const file = await csv(review("R1"), review("R2"), review("R3"));
    await publishFile(file, { bus: new RecordingBus() }, { batchSize: 2, onProgress: (p) => progress.push(p) });
    // A file this small is read in one chunk: its whole size is read by the first batch.
    const { size } = await stat(file);
    expect(progress).toEqual([
      { read: 2, enqueued: 2, bytesRead: size },
      { read: 3, enqueued: 3, bytesRead: size },
    ]);
  });

  it("stops after the batch in hand once its signal aborts, publishing what it read", async () => {
    const bus = new RecordingBus();
    const stop = new AbortController();
    const rows = Array.from({ length: 10 }, (_, i) => review(`R${i + 1}`));
    const { summary } = await publishFile(
      await csv(...rows),
      { bus },
      { batchSize: 2, onProgress: (p) => p.read === 4 && stop.abort(), signal: stop.signal },
    );
    expect(sourceIds(bus.published)).toEqual(["R1", "R2", "R3", "R4"]);
    expect(summary).toMatchObject({ read: 4, valid: 4, enqueued: 4, error: null });
  });
});
