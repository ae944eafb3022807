import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { ingestFiles } from "../../app/ingest/ingest-service.js";
import { drainQueue } from "../../app/worker/worker-service.js";
import { createDashboardApp } from "../../dashboard/server/app.js";
import { loadAssets } from "../../dashboard/server/assets.js";
import { AggregateCache } from "../../dashboard/server/cache.js";
import { AnalyticsJson, Overview, TicketPageJson } from "../../dashboard/server/contract.js";
import type { Backend } from "../../sdk/backend.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { openTestBackend } from "../support/backend.js";
import { sampleDir } from "../support/cli.js";

/**
 * Issue 14, item 5: trends use the feedback's own date, not the import day, and a second app's reviews filter
 * apart. Real files through ingest, the offline crew and the worker into PGlite, read back over the dashboard API.
 */
describe("dashboard trends by the feedback's date, filtered by app", () => {
  let backend: Backend;
  let app: ReturnType<typeof createDashboardApp>;
  const NOTES = "com.example.notes";
  const CAMERA = "com.example.camera";
  const WINDOW = "since=2025-01-01&until=2025-03-31";

  const get = async <S extends z.ZodType>(schema: S, url: string): Promise<z.infer<S>> => {
    const response = await app.request(url, { headers: { host: "127.0.0.1:8080" } });
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    return schema.parse(body);
  };

  beforeAll(async () => {
    ({ backend } = await openTestBackend());
    const dir = await mkdtemp(path.join(tmpdir(), "ft-dates-"));
    // Three months of reviews of one app (named by --app at ingest), platforms spelled every which way.
    const notes = path.join(dir, "notes-reviews.csv");
    await writeFile(
      notes,
      [
        "review_id,platform,rating,review_text,user_name,date,app_version",
        "N1,ios,1,The app crashes every time I open the calendar,ann,2025-01-10,4.2.0",
        "N2,iOS,1,Crashes on start since the update; nothing works,bob,2025-01-24,4.2.0",
        "N3,IOS,2,Sync fails with an error every time I save a note,cy,2025-02-05,4.2.1",
        "N4,android,1,The app freezes when I upload a photo,dan,2025-02-20,4.2.1",
        "N5,Android,1,App crashes when I open settings,eve,2025-03-03,4.3.0",
        "N6,ANDROID,2,Login fails with an error after the update,fay,2025-03-28,4.3.0",
        "",
      ].join("\n"),
    );
    // A second app's reviews, named by their own app column.
    const camera = path.join(dir, "camera-reviews.csv");
    await writeFile(
      camera,
      [
        "review_id,platform,rating,review_text,user_name,date,app_version,app",
        `C1,iOS,1,The camera crashes when I switch to video,gus,2025-02-11,2.0.0,${CAMERA}`,
        `C2,Android,1,Photos fail to save with an error every time,hal,2025-03-12,2.0.1,${CAMERA}`,
        "",
      ].join("\n"),
    );
    const agentsConfig = loadRuntimeConfig({}).agents;
    for (const [file, options] of [
      [notes, { app: NOTES }],
      [camera, {}],
    ] as const) {
      const summary = await ingestFiles(backend, [file], options);
      expect(summary.totals.rejected).toBe(0);
      await drainQueue(backend, { agentsConfig, agents: "offline" });
    }
    app = createDashboardApp({
      ctx: {
        backend,
        cache: new AggregateCache(0),
        workerInProcess: false,
        evalRoot: sampleDir,
        agentsConfig,
      },
      auth: { mode: "none", actor: "tester@localhost" },
      assets: loadAssets(),
      trustProxy: false,
    });
  });
  afterAll(async () => {
    await backend?.close();
  });

  it("shows reviews dated over three months in three months of trend buckets, none on the import day", async () => {
    // No dates in the URL: the window is the 90 days up to the newest feedback, not up to today.
    const data = await get(AnalyticsJson, `/api/analytics?app=${NOTES}`);
    expect(data.total).toBe(6);
    const months = new Set(data.overTime.map((b) => b.bucket.slice(0, 7)));
    expect([...months]).toEqual(["2025-01", "2025-02", "2025-03"]);
    expect(data.overTime.map((b) => b.bucket)).not.toContain(new Date().toISOString().slice(0, 10));
  });

  it("filters a second app's reviews apart in the ticket list and the trends", async () => {
    const camera = await get(TicketPageJson, `/api/tickets?app=${CAMERA}`);
    expect(camera.items.map((t) => [t.sourceId, t.app, t.submittedAt]).sort()).toEqual([
      ["C1", CAMERA, "2025-02-11T00:00:00.000Z"],
      ["C2", CAMERA, "2025-03-12T00:00:00.000Z"],
    ]);
    const both = await get(AnalyticsJson, `/api/analytics?${WINDOW}&app=${NOTES},${CAMERA}`);
    expect(both.total).toBe(8);
    const cameraTrend = await get(AnalyticsJson, `/api/analytics?${WINDOW}&app=${CAMERA}`);
    expect(cameraTrend.overTime.map((b) => b.bucket)).toEqual(["2025-02-11", "2025-03-12"]);
  });

  it("counts the overview's days by the feedback's date, per app", async () => {
    // All the feedback is older than the overview's 30 days, though every ticket was created today.
    const overview = await get(Overview, `/api/overview?app=${NOTES}`);
    expect(overview.stats.total).toBe(6);
    expect(overview.stats.perDay.reduce((n, d) => n + d.total, 0)).toBe(0);
    expect((await get(Overview, `/api/overview?app=${CAMERA}`)).stats.total).toBe(2);
  });

  it("charts one bar per platform however the files spelled it", async () => {
    const data = await get(AnalyticsJson, `/api/analytics?${WINDOW}`);
    const labels = data.bugHotspots.platform.map((p) => p.label);
    expect(labels.filter((l) => l !== "(unknown)").sort()).toEqual(["Android", "iOS"]);
  });
});
