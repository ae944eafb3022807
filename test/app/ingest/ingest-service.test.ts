import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type IngestProgress, ingestFiles } from "../../../app/ingest/ingest-service.js";
import { writeSyntheticReviewsCsv } from "../../../sdk/ingest/synthetic.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { RecordingBus } from "../webhooks/webhook-fixtures.js";

const appsOf = (bus: RecordingBus) => bus.published.map((e) => (e.detail.item as { app: string | null }).app);

describe("ingestFiles: the app of items whose record names none", () => {
  let dir: string;
  let bus: RecordingBus;
  let t: TestBackend;
  let plain: string;
  let withColumn: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ingest-app-"));
    plain = path.join(dir, "reviews.csv");
    await writeFile(plain, "review_id,user_name,rating,review_text\nR1,ann,2,The app crashes on start\n");
    withColumn = path.join(dir, "reviews-app.csv");
    await writeFile(withColumn, "review_id,user_name,rating,review_text,app\nR2,bob,2,It crashes,com.example.mail\n");
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    bus = new RecordingBus();
    t = await openTestBackend({ bus });
    await t.backend.configuration.set("default_app", "com.example.notes", "test");
  });
  afterEach(async () => t.close());

  it("is the stored defaultApp when no --app is given", async () => {
    await ingestFiles(t.backend, [plain]);
    expect(appsOf(bus)).toEqual(["com.example.notes"]);
  });

  it("is --app when given, over the stored defaultApp", async () => {
    await ingestFiles(t.backend, [plain], { app: "com.example.cli" });
    expect(appsOf(bus)).toEqual(["com.example.cli"]);
  });

  it("leaves an app the file names as it is", async () => {
    await ingestFiles(t.backend, [withColumn]);
    expect(appsOf(bus)).toEqual(["com.example.mail"]);
  });
});

describe("ingestFiles: progress while reading", () => {
  let dir: string;
  let files: string[];
  let t: TestBackend;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ingest-progress-"));
    files = [path.join(dir, "first.csv"), path.join(dir, "second.csv")];
    // Many times the read-ahead the streams keep (a few 64 KiB chunks), so progress is seen inside the first file
    // however fast the batches are published (on PostgreSQL a 1,500-row file could be read ahead whole).
    await writeSyntheticReviewsCsv(files[0]!, 12_000, 1);
    await writeSyntheticReviewsCsv(files[1]!, 300, 2);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    t = await openTestBackend({ bus: new RecordingBus() });
  });
  afterEach(async () => t.close());

  it("reports the bytes read of all the files out of their total size, rising to the total", async () => {
    const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
    const total = sizes[0]! + sizes[1]!;
    const progress: IngestProgress[] = [];
    await ingestFiles(t.backend, files, { batchSize: 100, onProgress: (p) => progress.push(p) });

    expect(progress.every((p) => p.bytesTotal === total)).toBe(true);
    const bytes = progress.map((p) => p.bytesRead);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(bytes.some((b) => b > 0 && b < sizes[0]!)).toBe(true);
    expect(progress.filter((p) => p.file === files[1]).every((p) => p.bytesRead > sizes[0]!)).toBe(true);
    expect(bytes.at(-1)).toBe(total);
  });
});
