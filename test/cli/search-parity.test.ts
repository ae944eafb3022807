import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { openLocalBackend } from "../../sdk/open-backend.js";
import { localDashboardApp, seedTickets } from "../dashboard/support.js";
import { runCli } from "../support/cli.js";

const SEARCHES = ["crash", "Crashes export", "PDF", "XSS-1", "refund twice", "nothing-matches-this"];

describe("ticket search", () => {
  let dir: string;
  let dashboardIds: (q: string) => Promise<string[]>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "ft-search-parity-"));
    const config = loadRuntimeConfig({});
    const { backend, database } = await openLocalBackend({ config, dataDir: path.join(dir, "data"), role: "owner" });
    await seedTickets(database.sql, [
      { title: "App crashes on launch", text: "It crashes every time I open it" },
      { title: "Export to PDF crashes", text: "Crashes when exporting a PDF report" },
      { title: "Charged twice", text: "I want a refund, you charged me twice" },
      { title: "Crashlytics shows nothing", text: "No crash reports arrive" },
      { title: "Love the redesign", text: "Great work on the new look", sourceId: "XSS-1" },
      { title: "Uncrashable, they said", text: "The app is solid" },
    ]);
    const app = localDashboardApp(backend);
    const results = new Map<string, string[]>();
    for (const q of SEARCHES) {
      const response = await app.request(`/api/tickets?q=${encodeURIComponent(q)}&size=200`, {
        headers: { host: "127.0.0.1:8080" },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { items: { id: string }[] };
      results.set(q, body.items.map((t) => t.id).sort());
    }
    await backend.close();
    dashboardIds = async (q) => results.get(q) ?? [];
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(SEARCHES)("finds the same tickets in the CLI and the dashboard for %j", async (q) => {
    const cli = await runCli(["tickets", "list", "--search", q, "--limit", "200", "--json"], {
      cwd: dir,
      env: { FEEDBACK_DATA_DIR: path.join(dir, "data") },
    });
    expect(cli.code, cli.stderr).toBe(0);
    const cliIds = (JSON.parse(cli.stdout) as { id: string }[]).map((t) => t.id).sort();
    expect(cliIds).toEqual(await dashboardIds(q));
  });

  it("matches whole words by prefix in title, description and source id", async () => {
    expect(await dashboardIds("crash")).toHaveLength(3);
    expect(await dashboardIds("Crashes export")).toHaveLength(1);
    expect(await dashboardIds("XSS-1")).toHaveLength(1);
    expect(await dashboardIds("nothing-matches-this")).toEqual([]);
  });
});
