import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createAgents } from "../../app/worker/create-agents.js";
import { AlbTokenVerifier } from "../../dashboard/server/alb-jwt.js";
import { createDashboardApp } from "../../dashboard/server/app.js";
import { loadAssets } from "../../dashboard/server/assets.js";
import { AggregateCache } from "../../dashboard/server/cache.js";
import {
  AnalyticsJson,
  ApiError,
  BulkResult,
  ConfigurationJson,
  Health,
  IngestResult,
  OperationsJson,
  Overview,
  QualityReport,
  ReplayResult,
  SelectionResult,
  Session,
  TicketDetailJson,
  TicketPageJson,
} from "../../dashboard/server/contract.js";
import type { DashboardContext } from "../../dashboard/server/services.js";
import { resolveAuth } from "../../dashboard/server/start.js";
import type { Backend } from "../../sdk/backend.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { ConfigurationError } from "../../sdk/errors.js";
import { evaluateAgents } from "../../sdk/eval/evaluate.js";
import { readExpectedLabels } from "../../sdk/eval/expected-labels.js";
import { collectFeedbackFile } from "../../sdk/ingest/index.js";
import { MergeSuggestion } from "../../sdk/schemas/grouping.js";
import { openTestBackend } from "../support/backend.js";
import { repoRoot, sampleDir } from "../support/cli.js";
import type { TestDatabase } from "../support/database.js";
import { type App, Client, ORIGIN, redirectOf } from "./client.js";
import { localDashboardApp, seedDeadLetter, seedTickets } from "./support.js";

describe("dashboard JSON API", () => {
  let backend: Backend;
  let db: TestDatabase;
  let app: App;
  let client: Client;
  let ctx: DashboardContext;
  const assets = loadAssets();

  beforeAll(async () => {
    ({ backend, db } = await openTestBackend());
    ctx = {
      backend,
      cache: new AggregateCache(0),
      workerInProcess: false,
      evalRoot: sampleDir,
      agentsConfig: loadRuntimeConfig({}).agents,
    };
    app = createDashboardApp({ ctx, auth: { mode: "none", actor: "tester@localhost" }, assets, trustProxy: false });
    client = new Client(app);
    await client.session();
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    await seedTickets(db.sql, [
      ...Array.from({ length: 12 }, (_, i) => ({
        category: "Bug" as const,
        priority: i < 3 ? ("Critical" as const) : ("High" as const),
        text: `Crash when uploading photo number ${i}`,
      })),
      ...Array.from({ length: 6 }, (_, i) => ({
        category: "Feature Request" as const,
        priority: "Medium" as const,
        text: `Please add dark mode ${i}`,
        technicalDetails: { requestedCapability: "dark mode" },
      })),
      ...Array.from({ length: 5 }, (_, i) => ({
        category: "Praise" as const,
        priority: "Low" as const,
        status: "needs_review" as const,
        confidence: 0.4,
        text: `Love it ${i}`,
        rating: 5,
        language: "en",
      })),
      {
        category: "Complaint",
        priority: "High",
        text: '=HYPERLINK("http://evil") refund me',
        sourceType: "email",
        rating: null,
        language: "de",
      },
    ]);
    // Spread creation dates over the last weeks, as a real history would be.
    await db.sql.query(`UPDATE tickets SET created_at = $1::timestamptz WHERE category = 'Feature Request'`, [day(10)]);
  });
  afterAll(async () => {
    await backend?.close();
  });

  it("answers /health without authentication and sets security headers everywhere", async () => {
    const response = await app.request("/health");
    expect(Health.parse(await response.json())).toEqual({ status: "ok", backend: "embedded" });
    const page = await client.request("/");
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("server-timing")).toMatch(/^app;dur=/);
    const asset = await client.request(assets.js);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect(asset.headers.get("content-type")).toContain("javascript");
  });

  it("refuses a Host that is not loopback when it runs without authentication (DNS rebinding)", async () => {
    const response = await app.request("/api/overview", { headers: { host: "attacker.example:8080" } });
    expect(response.status).toBe(403);
  });

  it("lists tickets with server-side filters, sort and pages under the zod contract", async () => {
    const all = await client.getJson(TicketPageJson, "/api/tickets");
    expect(all.total).toBe(24);
    expect(all.totalCapped).toBe(false);
    const bugs = await client.getJson(TicketPageJson, "/api/tickets?category=Bug&priority=Critical");
    expect(bugs.total).toBe(3);
    expect(bugs.items.every((t) => t.category === "Bug" && t.priority === "Critical")).toBe(true);
    const multi = await client.getJson(
      TicketPageJson,
      "/api/tickets?priority=Critical,Low&sort=priority&order=desc&size=10",
    );
    expect(multi.total).toBe(8);
    expect(multi.items.slice(0, 3).every((t) => t.priority === "Critical")).toBe(true);
    const page2 = await client.getJson(TicketPageJson, "/api/tickets?size=10&page=3");
    expect(page2.items).toHaveLength(4);
    expect(page2.offset).toBe(20);
    const search = await client.getJson(TicketPageJson, "/api/tickets?q=uploading+phot");
    expect(search.total).toBe(12);
    const review = await client.getJson(TicketPageJson, "/api/tickets?status=needs_review&source=app_store_review");
    expect(review.total).toBe(5);
    const recent = await client.getJson(
      TicketPageJson,
      `/api/tickets?since=${new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10)}`,
    );
    expect(recent.total).toBe(18);
    const old = await client.getJson(
      TicketPageJson,
      `/api/tickets?until=${new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10)}`,
    );
    expect(old.total).toBe(6);
  });

  it("filters tickets by language, codes in any case, and refuses a code that is not ISO 639-1", async () => {
    const german = await client.getJson(TicketPageJson, "/api/tickets?language=de");
    expect(german.items.map((t) => [t.category, t.language])).toEqual([["Complaint", "de"]]);
    expect((await client.getJson(TicketPageJson, "/api/tickets?language=DE,en")).total).toBe(6);
    const bad = await client.request("/api/tickets?language=deu");
    expect(bad.status).toBe(400);
    expect(ApiError.parse(await bad.json()).error.issues?.map((i) => i.path)).toEqual(["language.0"]);
  });

  it("rejects a bad filter with 400 and the zod issues", async () => {
    const response = await client.request("/api/tickets?priority=Urgent&size=7");
    expect(response.status).toBe(400);
    const body = ApiError.parse(await response.json());
    expect(body.error.issues?.map((i) => i.path).sort()).toEqual(["priority.0", "size"]);
  });

  it("answers 400 naming the parameter for a NUL in any query parameter, on pages, the API and the export", async () => {
    for (const url of [
      "/api/tickets?q=%00",
      "/api/tickets?q=a%00b&priority=High",
      "/api/analytics?q=%00",
      "/api/export.csv?q=%00",
      "/api/tickets?%00=1",
    ]) {
      const response = await client.request(url);
      expect(response.status, url).toBe(400);
      const body = ApiError.parse(await response.json());
      expect(body.error.code).toBe("VALIDATION");
      expect(body.error.message, url).toMatch(/query parameter ".*" contains a NUL character \(U\+0000\)/);
    }
    for (const url of ["/tickets?q=%00", "/review?q=%00", "/tickets?since=2026-01-01&q=x%00"]) {
      const page = await client.request(url);
      expect(page.status, url).toBe(400);
      expect(await page.text()).toContain("query parameter &quot;q&quot; contains a NUL character");
    }
    // A URL cannot carry a lone surrogate: its %-escapes are UTF-8, and a broken sequence decodes to U+FFFD.
    expect((await client.request("/api/tickets?q=%ED%A0%80")).status).toBe(200);
  });

  it("shows a ticket with its feedback, technical details and processing log; 404 for an unknown id", async () => {
    const [first] = (await client.getJson(TicketPageJson, "/api/tickets?category=Complaint")).items;
    const detail = await client.getJson(TicketDetailJson, `/api/tickets/${first!.id}`);
    expect(detail.feedback?.text).toContain("refund me");
    expect(detail.logs[0]?.agent).toBe("classifier");
    const missing = await client.request("/api/tickets/00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(404);
    expect(ApiError.parse(await missing.json()).error.code).toBe("NOT_FOUND");
  });

  it("overrides a ticket through the repository and keeps who/when/before/after in its history", async () => {
    const [ticket] = (await client.getJson(TicketPageJson, "/api/tickets?category=Praise")).items;
    const response = await client.write("PATCH", `/api/tickets/${ticket!.id}`, {
      title: "Praise for the new editor",
      category: "Feature Request",
      priority: "High",
      technicalDetails: { ...ticket!.technicalDetails, requestedCapability: "markdown export" },
      expectedVersion: ticket!.version,
      reason: "misread",
    });
    expect(response.status).toBe(200);
    const detail = TicketDetailJson.parse(await response.json());
    expect(detail).toMatchObject({
      title: "Praise for the new editor",
      category: "Feature Request",
      priority: "High",
      version: ticket!.version + 1,
    });
    expect(detail.history).toHaveLength(1);
    expect(detail.history[0]).toMatchObject({
      actor: "tester@localhost",
      reason: "misread",
      before: { title: ticket!.title, category: "Praise", priority: "Low" },
      after: { title: "Praise for the new editor", category: "Feature Request", priority: "High" },
    });
    const stale = await client.write("PATCH", `/api/tickets/${ticket!.id}`, {
      priority: "Low",
      expectedVersion: ticket!.version,
    });
    expect(stale.status).toBe(409);
    const invalid = await client.write("PATCH", `/api/tickets/${ticket!.id}`, { priority: "Urgent", title: "x" });
    expect(invalid.status).toBe(400);
    const unknownField = await client.write("PATCH", `/api/tickets/${ticket!.id}`, { confidence: 1 });
    expect(unknownField.status).toBe(400);

    const approved = await client.write("POST", `/api/tickets/${ticket!.id}/status`, { action: "approve" });
    expect(TicketDetailJson.parse(await approved.json())).toMatchObject({
      status: "approved",
      history: [{}, { after: { status: "approved" } }],
    });
  });

  it("approves or rejects every ticket of a filter in bulk, each with its history", async () => {
    const noFilter = await client.write("POST", "/api/tickets/bulk", { action: "approve", filter: {} });
    expect(noFilter.status).toBe(400);
    const response = await client.write("POST", "/api/tickets/bulk", {
      action: "reject",
      filter: { status: "needs_review", category: "Praise" },
      reason: "spam wave",
    });
    const result = BulkResult.parse(await response.json());
    expect(result).toMatchObject({ action: "reject", updated: 4, failed: [], more: false });
    const left = await client.getJson(TicketPageJson, "/api/tickets?status=needs_review");
    expect(left.total).toBe(0);
    const rejected = await client.getJson(TicketPageJson, "/api/tickets?status=rejected");
    const detail = await client.getJson(TicketDetailJson, `/api/tickets/${rejected.items[0]!.id}`);
    expect(detail.history.at(-1)).toMatchObject({
      actor: "tester@localhost",
      reason: "spam wave",
      before: { status: "needs_review" },
      after: { status: "rejected" },
    });
  });

  it("changes the tickets an operator ticked in one request, reporting each ticket's outcome", async () => {
    // Its own database: the counts the other tests check stay as seeded.
    const test = await openTestBackend();
    const own = { db: test.db, client: new Client(localDashboardApp(test.backend)) };
    await own.client.session();
    try {
      const [a, b, c] = await seedTickets(own.db.sql, [
        { category: "Bug", priority: "Low", status: "needs_review", text: "Selected one: the sync fails" },
        { category: "Bug", priority: "Low", status: "needs_review", text: "Selected two: the sync fails" },
        { category: "Bug", priority: "Medium", status: "open", text: "Selected three: the sync fails" },
      ]);
      const missing = "00000000-0000-4000-8000-000000000000";
      const approve = SelectionResult.parse(
        await (
          await own.client.write("POST", "/api/tickets/selection", { action: "approve", ids: [a!.id, b!.id, missing] })
        ).json(),
      );
      expect(approve.updated).toBe(2);
      expect(approve.results.map((r) => [r.id, r.ok, r.status])).toEqual([
        [a!.id, true, "approved"],
        [b!.id, true, "approved"],
        [missing, false, null],
      ]);
      expect(approve.results[2]!.message).toBeTruthy();
      const detail = await own.client.getJson(TicketDetailJson, `/api/tickets/${a!.id}`);
      expect(detail.history.at(-1)).toMatchObject({
        actor: "tester@localhost",
        reason: "bulk approve",
        before: { status: "needs_review" },
        after: { status: "approved" },
      });

      const priority = SelectionResult.parse(
        await (
          await own.client.write("POST", "/api/tickets/selection", {
            action: "priority",
            priority: "Critical",
            ids: [b!.id, c!.id],
            reason: "outage",
          })
        ).json(),
      );
      expect(priority.results.map((r) => [r.ok, r.priority])).toEqual([
        [true, "Critical"],
        [true, "Critical"],
      ]);
      expect((await own.client.getJson(TicketDetailJson, `/api/tickets/${c!.id}`)).history.at(-1)).toMatchObject({
        reason: "outage",
        after: { priority: "Critical" },
      });

      for (const body of [
        { action: "priority", ids: [c!.id] },
        { action: "approve", ids: [] },
        { action: "close", ids: [c!.id] },
      ])
        expect((await own.client.write("POST", "/api/tickets/selection", body)).status).toBe(400);
    } finally {
      await test.close();
    }
  });

  it("changes the ticked tickets from the bulk bar's form, without JavaScript, and comes back to the same filter", async () => {
    const test = await openTestBackend();
    const own = new Client(localDashboardApp(test.backend));
    await own.session();
    try {
      const [a, b, c] = await seedTickets(test.db.sql, [
        { category: "Bug", status: "needs_review", text: "Ticked one: the upload stalls" },
        { category: "Bug", status: "needs_review", text: "Ticked two: the upload stalls" },
        { category: "Bug", status: "needs_review", text: "Not ticked: the upload stalls" },
      ]);
      const page = await (await own.request("/tickets?status=needs_review")).text();
      expect(page).toMatch(/<form id="ticket-selection" method="post" action="\/tickets\/selection"/);
      expect(page).toContain(`name="ids" value="${a!.id}" form="ticket-selection"`);

      const back = redirectOf(
        await own.postForm("/tickets/selection", {
          back: "/tickets?status=needs_review",
          action: "approve",
          ids: [a!.id, b!.id],
        }),
      );
      expect(back.location).toBe("/tickets?status=needs_review&notice=selection&action=approve&n=2&f=0");
      const statusOf = async (id: string) => (await own.getJson(TicketDetailJson, `/api/tickets/${id}`)).status;
      expect([await statusOf(a!.id), await statusOf(b!.id), await statusOf(c!.id)]).toEqual([
        "approved",
        "approved",
        "needs_review",
      ]);
      expect((await own.getJson(TicketDetailJson, `/api/tickets/${a!.id}`)).history.at(-1)).toMatchObject({
        actor: "tester@localhost",
        after: { status: "approved" },
      });
      expect(await (await own.request(back.location)).text()).toContain("2 ticked ticket(s) approved.");
    } finally {
      await test.close();
    }
  });

  it("comes back with a notice, changing nothing, when the bulk bar's form is sent with no ticket ticked", async () => {
    const back = redirectOf(
      await client.postForm("/tickets/selection", { back: "/review?category=Bug", action: "reject" }),
    );
    expect(back.location).toBe("/review?category=Bug&notice=selection-empty");
  });

  it("approves by filter from the Review page's form and comes back to the same filter", async () => {
    await seedTickets(db.sql, [
      { category: "Spam", priority: "Low", status: "needs_review", text: "Buy cheap followers now" },
      { category: "Spam", priority: "Low", status: "needs_review", text: "Win a prize, click here" },
    ]);
    const back = redirectOf(
      await client.postForm("/review/bulk", {
        action: "approve",
        "filter.status": "needs_review",
        "filter.category": "Spam",
        reason: "looked fine",
      }),
    );
    expect(back.path).toBe("/review");
    expect(back.query).toMatchObject({
      status: "needs_review",
      category: "Spam",
      notice: "bulk",
      action: "approve",
      n: "2",
      f: "0",
    });
    expect((await client.getJson(TicketPageJson, "/api/tickets?category=Spam&status=approved")).total).toBe(2);
    const page = await (await client.request(back.location)).text();
    expect(page).toContain("2 ticket(s) approved.");
    await db.sql.query(`DELETE FROM tickets WHERE category = 'Spam'`);
  });

  it("answers 400 naming the field for a NUL or lone surrogate in a ticket edit, a reason or the configuration", async () => {
    const [ticket] = (await client.getJson(TicketPageJson, "/api/tickets?category=Bug")).items;
    const edit = await client.write("PATCH", `/api/tickets/${ticket!.id}`, { title: "Crash on\u0000 launch" });
    expect(edit.status).toBe(400);
    expect(ApiError.parse(await edit.json()).error.issues?.map((i) => i.path)).toEqual(["title"]);
    const reason = await client.write("POST", `/api/tickets/${ticket!.id}/status`, {
      action: "approve",
      reason: "ok\ud800",
    });
    expect(reason.status).toBe(400);
    const current = await client.getJson(ConfigurationJson, "/api/configuration");
    const rules = [{ name: "outage", category: "Bug", priority: "Critical", keywords: ["down\u0000"] }];
    const config = await client.write("PUT", "/api/configuration", {
      confidenceThreshold: current.confidenceThreshold,
      priorityRules: { ...current.priorityRules, rules },
    });
    expect(config.status).toBe(400);
    expect(ApiError.parse(await config.json()).error.issues?.map((i) => i.path)).toEqual([
      "priorityRules.rules.0.keywords.0",
    ]);
    expect((await backend.tickets.get(ticket!.id))?.title).toBe(ticket!.title);
  });

  it("reads and writes the configuration validated with the SDK's schemas", async () => {
    const current = await client.getJson(ConfigurationJson, "/api/configuration");
    const next = {
      confidenceThreshold: 0.55,
      priorityRules: {
        ...current.priorityRules,
        rules: [
          { name: "outage", category: "Bug", priority: "Critical", keywords: ["outage", "down for everyone"] },
          ...current.priorityRules.rules,
        ],
      },
    };
    const saved = await client.write("PUT", "/api/configuration", next);
    expect(saved.status).toBe(200);
    expect(await backend.configuration.get("confidence_threshold")).toBe(0.55);
    expect((await backend.configuration.load()).priorityRules.rules[0]?.name).toBe("outage");
    // The same use case as `feedback-cli config set / edit`: each changed key is in the history.
    const [latest, previous] = await backend.configuration.history();
    expect([latest?.key, previous?.key].sort()).toEqual(["confidence_threshold", "priority_rules"]);

    const bad = await client.write("PUT", "/api/configuration", {
      confidenceThreshold: 1.5,
      priorityRules: {
        ...next.priorityRules,
        rules: [{ name: "", category: "Bugs", priority: "Critical", keywords: [] }],
      },
    });
    expect(bad.status).toBe(400);
    const issues = ApiError.parse(await bad.json()).error.issues?.map((i) => i.path) ?? [];
    expect(issues).toEqual(
      expect.arrayContaining([
        "confidenceThreshold",
        "priorityRules.rules.0.name",
        "priorityRules.rules.0.category",
        "priorityRules.rules.0.keywords",
      ]),
    );
    expect(await backend.configuration.get("confidence_threshold")).toBe(0.55);
  });

  it("gives the overview: totals, per-day by category, mixes, queue and DLQ depth", async () => {
    const overview = await client.getJson(Overview, "/api/overview");
    expect(overview.stats.total).toBe(24);
    expect(overview.stats.byCategory).toMatchObject({ Bug: 12, Complaint: 1 });
    expect(overview.stats.openCritical).toBe(3);
    expect(overview.stats.perDay).toHaveLength(30);
    expect(overview.stats.perDay.reduce((n, d) => n + d.total, 0)).toBe(24);
    expect(overview.stats.perDay.at(-1)?.byCategory.Bug).toBe(12);
    expect(overview.queue).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(overview.worker.inProcess).toBe(false);
  });

  it("gives the analytics series of a filter", async () => {
    const data = await client.getJson(AnalyticsJson, "/api/analytics");
    expect(data.granularity).toBe("day");
    expect(data.total).toBe(24);
    expect(data.topFeatures[0]).toEqual({ label: "dark mode", count: 6 });
    expect(data.bugHotspots.appVersion).toEqual([{ label: "3.2.1", count: 12 }]);
    expect(data.ratings.find((r) => r.rating === "no rating")?.count).toBe(1);
    const bugsOnly = await client.getJson(AnalyticsJson, "/api/analytics?category=Bug&since=2020-01-01");
    expect(bugsOnly).toMatchObject({ granularity: "week", total: 12 });
  });

  it("exports the filtered tickets as CSV, neutralising spreadsheet formulas", async () => {
    const response = await client.request("/api/export.csv?category=Bug,Complaint");
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="tickets-/);
    const rows = parse(await response.text(), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(13);
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining(["id", "category", "priority", "title", "description", "technicalDetails"]),
    );
    expect(rows.find((r) => r.category === "Complaint")?.description).toBe('\'=HYPERLINK("http://evil") refund me');
  });

  it("shows the hybrid crew's split and Claude's cost on the operations page", async () => {
    const before = await client.getJson(OperationsJson, "/api/operations");
    expect(before.agents.routing).toBeNull();
    const route = (path: string, extra = {}) =>
      JSON.stringify({
        path,
        reason: path === "claude" ? "confidence 0.5 < 0.85" : "confidence 0.95 >= 0.85",
        ...extra,
      });
    const log = (agent: string, result: string, sql = "WHERE category = 'Praise'") =>
      db.sql.query(
        `INSERT INTO processing_logs (ticket_id, source_type, source_id, steps)
         SELECT id, source_type, source_id, jsonb_build_array(jsonb_build_object(
           'agent', $1::text, 'action', 'route', 'result', $2::jsonb, 'tokensIn', $3::int, 'tokensOut', $4::int))
         FROM tickets ${sql}`,
        agent === "claude" ? [agent, result, 2000, 100] : [agent, result, null, null],
      );
    await log("router", route("offline"), "WHERE category = 'Bug'");
    await log("router", route("claude"));
    await log("claude", JSON.stringify({ model: "claude-haiku-4-5", costUsd: 0.0025 }));
    const count = async (category: string) =>
      Number(
        (await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM tickets WHERE category = $1", [category]))
          .rows[0]!.n,
      );
    const [offline, claude] = [await count("Bug"), await count("Praise")];
    expect(claude).toBeGreaterThan(0);
    const ops = await client.getJson(OperationsJson, "/api/operations");
    expect(ops.agents.routing).toMatchObject({ items: offline + claude, offline, claude, claudeUnavailable: 0 });
    expect(ops.agents.routing!.claudeCostUsd).toBeCloseTo(0.0025 * claude, 9);
    expect(ops.agents.modelUsage.costUsd).toBeCloseTo(0.0025 * claude, 9);
    const page = await (await client.request("/operations")).text();
    expect(page).toContain("Hybrid crew: sent to Claude");
    expect(page).toContain(`${((claude / (offline + claude)) * 100).toFixed(1)}%`);
    expect(page).toContain(`${offline} decided offline · ${claude} by Claude`);
  });

  it("shows each store source's last pull on the operations page, and how to add one when there is none", async () => {
    expect((await client.getJson(OperationsJson, "/api/operations")).sources).toEqual([]);
    expect(await (await client.request("/operations")).text()).toContain("feedback-cli sources add");
    const source = (name: string) => ({
      name,
      kind: "google-play" as const,
      app: "com.acme.notes",
      serviceAccount: { env: "PLAY_KEY" },
    });
    await backend.sources.save(source("play-notes"));
    await backend.sources.save(source("play-broken"));
    const pull = { at: "2026-12-07T05:00:00.000Z", enqueued: 12, revised: 1, unchanged: 3, rejected: 0, error: null };
    await backend.sources.recordPull("play-notes", pull);
    await backend.sources.recordPull("play-broken", { ...pull, enqueued: 0, revised: 0, error: "the key was refused" });
    ctx.cache.invalidate();
    const ops = await client.getJson(OperationsJson, "/api/operations");
    expect(ops.sources).toEqual(
      expect.arrayContaining([
        { name: "play-notes", kind: "google-play", app: "com.acme.notes", lastPull: pull },
        expect.objectContaining({
          name: "play-broken",
          lastPull: expect.objectContaining({ error: "the key was refused" }),
        }),
      ]),
    );
    const page = await (await client.request("/operations")).text();
    expect(page).toContain("12 new, 1 edited, 3 unchanged, 0 rejected");
    expect(page).toContain("failed: the key was refused");
    for (const name of ["play-notes", "play-broken"]) await backend.sources.remove(name);
  });

  it("shows dead letters with their errors and replays one", async () => {
    const letter = await seedDeadLetter(db.sql, { error: "Error: <b>boom</b>" });
    const ops = await client.getJson(OperationsJson, "/api/operations");
    expect(ops.dlq.depth).toBe(1);
    expect(ops.dlq.letters[0]).toMatchObject({
      messageId: letter.messageId,
      lastError: "Error: <b>boom</b>",
      sourceId: letter.sourceId,
    });
    const replay = await client.write("POST", "/api/dlq/replay", {
      ids: [letter.messageId, "00000000-0000-4000-8000-000000000001"],
    });
    expect(ReplayResult.parse(await replay.json())).toEqual({
      dryRun: false,
      moved: [letter.messageId],
      notFound: ["00000000-0000-4000-8000-000000000001"],
    });
    expect((await client.getJson(OperationsJson, "/api/operations")).queue.visible).toBe(1);
    const neither = await client.write("POST", "/api/dlq/replay", {});
    expect(neither.status).toBe(400);
  });

  it("ingests an uploaded file onto the queue", async () => {
    const form = new FormData();
    form.set("file", new Blob([await readFile(path.join(repoRoot, "examples/app_store_reviews.csv"))]), "reviews.csv");
    const response = await client.request("/api/ingest", {
      method: "POST",
      body: form,
      headers: { origin: ORIGIN, "x-csrf-token": client.token },
    });
    const summary = IngestResult.parse(await response.json());
    expect(summary.totals.enqueued).toBeGreaterThan(30);
    expect(summary.files[0]?.file).toBe("reviews.csv");
  });

  it("evaluates uploaded labels exactly as feedback-cli eval does (sdk/eval)", async () => {
    const form = new FormData();
    const file = async (name: string) => new Blob([await readFile(path.join(sampleDir, name))]);
    form.set("labels", await file("expected_classifications.csv"), "expected_classifications.csv");
    form.set("reviews", await file("app_store_reviews.csv"), "app_store_reviews.csv");
    form.set("emails", await file("support_emails.csv"), "support_emails.csv");
    const response = await client.request("/api/quality", {
      method: "POST",
      body: form,
      headers: { origin: ORIGIN, "x-csrf-token": client.token },
    });
    const report = QualityReport.parse(await response.json());

    const items = [
      ...(await collectFeedbackFile(path.join(sampleDir, "app_store_reviews.csv"))).items,
      ...(await collectFeedbackFile(path.join(sampleDir, "support_emails.csv"))).items,
    ].map((i) => i.item);
    const direct = await evaluateAgents(
      await createAgents("offline"),
      await backend.configuration.load(),
      items,
      await readExpectedLabels(path.join(sampleDir, "expected_classifications.csv")),
    );
    expect(report).toMatchObject({
      itemSource: "files",
      evaluated: direct.evaluated,
      categoryAccuracy: direct.categoryAccuracy,
      priorityAccuracy: direct.priorityAccuracy,
      perCategory: direct.perCategory,
      categoryConfusion: direct.categoryConfusion,
      priorityConfusion: direct.priorityConfusion,
    });
    expect(report.evaluated).toBe(50);

    const byPath = await client.write("POST", "/api/quality", { labelsPath: "expected_classifications.csv" });
    expect(QualityReport.parse(await byPath.json())).toMatchObject({
      itemSource: "files",
      evaluated: 50,
      categoryAccuracy: direct.categoryAccuracy,
    });
    const outside = await client.write("POST", "/api/quality", { labelsPath: "../../etc/passwd" });
    expect(outside.status).toBe(400);
  });

  describe("CSRF", () => {
    it("refuses writes without the token, with a wrong one, or from another origin", async () => {
      const url = "/api/dlq/replay";
      const body = JSON.stringify({ all: true });
      const noToken = await client.request(url, {
        method: "POST",
        body,
        headers: { "content-type": "application/json", origin: ORIGIN },
      });
      expect(noToken.status).toBe(403);
      const wrong = await client.write("POST", url, { all: true }, { "x-csrf-token": "A".repeat(43) });
      expect(wrong.status).toBe(403);
      const crossOrigin = await client.write("POST", url, { all: true }, { origin: "https://evil.example" });
      expect(crossOrigin.status).toBe(403);
      const crossSite = await client.write("POST", url, { all: true }, { "sec-fetch-site": "cross-site" });
      expect(crossSite.status).toBe(403);
      const noCookie = await client.write("POST", url, { all: true }, { cookie: "" });
      expect(noCookie.status).toBe(403);
      const form = await client.request("/operations/replay", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
        body: new URLSearchParams({ all: "1", _csrf: client.token }).toString(),
      });
      expect(form.status).toBe(303);
    });
  });

  it("escapes hostile feedback in every page (XSS samples render as text)", async () => {
    const [xss] = await seedTickets(db.sql, [
      {
        title: "<script>alert(1)</script> crash",
        text: `<img src=x onerror=alert(1)> and <script>alert(1)</script> "quoted" 'single'`,
        category: "Bug",
      },
    ]);
    const list = await (await client.request("/tickets?q=crash")).text();
    expect(list).toContain("&lt;script&gt;alert(1)&lt;/script&gt; crash");
    expect(list).not.toContain("<script>alert(1)</script>");
    const detail = await (await client.request(`/tickets/${xss!.id}`)).text();
    expect(detail).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(detail).not.toContain("<img src=x");
    expect(detail).not.toMatch(/<script>alert/);
    // The only script tag is the bundle.
    expect(detail.match(/<script\b/g)).toHaveLength(1);
  });

  // Last: it folds tickets together, which the counts above do not expect.
  it("shows a ticket's reach and items, and lists merge suggestions that a person accepts", async () => {
    const [target, folded, suggested] = await seedTickets(db.sql, [
      { text: "Grouping: the camera crashes on start", app: "com.example.grouping" },
      { text: "Grouping: camera closes as soon as it opens", app: "com.example.grouping" },
      { text: "Grouping: the camera app quits", app: "com.example.grouping" },
    ]);
    await backend.grouping.merge(target!.id, [folded!.id], { actor: "tester@localhost" });
    await db.sql.query(`INSERT INTO merge_suggestions (ticket_id, target_id, score) VALUES ($1, $2, 0.6)`, [
      suggested!.id,
      target!.id,
    ]);
    const detail = await client.getJson(TicketDetailJson, `/api/tickets/${target!.id}`);
    expect(detail.reach).toBe(2);
    expect(detail.items.map((i) => i.sourceId).sort()).toEqual([target!.item.sourceId, folded!.item.sourceId].sort());
    expect(await (await client.request(`/tickets/${target!.id}`)).text()).toContain("Reach 2");
    const page = await (await client.request("/suggestions")).text();
    expect(page).toContain(suggested!.title);
    const [suggestion] = z.array(MergeSuggestion).parse(await (await client.request("/api/suggestions")).json());
    const accepted = await client.write("POST", `/api/suggestions/${suggestion!.id}`, { action: "accept" });
    expect(accepted.status).toBe(200);
    expect(MergeSuggestion.parse(await accepted.json()).status).toBe("accepted");
    expect((await client.getJson(TicketDetailJson, `/api/tickets/${target!.id}`)).reach).toBe(3);
  });
});

describe("dashboard authentication behind an ALB", () => {
  const region = "eu-west-1";
  const signer = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/feedback/abc";
  let privateKey: KeyObject;
  let otherKey: KeyObject;
  let app: App;
  let backend: Backend;
  const fetched: string[] = [];

  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  function token(
    options: { key?: KeyObject; exp?: number; signer?: string; email?: string; padded?: boolean } = {},
  ): string {
    const exp = options.exp ?? Math.floor(Date.now() / 1000) + 60;
    const header = b64({
      alg: "ES256",
      kid: "key-1",
      signer: options.signer ?? signer,
      iss: "https://cognito",
      client: "abc",
      exp,
    });
    const payload = b64({ sub: "user-1", email: options.email ?? "pm@example.com", exp, iss: "https://cognito" });
    const pad = (s: string) => (options.padded ? s + "=".repeat((4 - (s.length % 4)) % 4) : s);
    const signature = sign("sha256", Buffer.from(`${pad(header)}.${pad(payload)}`), {
      key: options.key ?? privateKey,
      dsaEncoding: "ieee-p1363",
    });
    return `${pad(header)}.${pad(payload)}.${pad(signature.toString("base64url"))}`;
  }

  beforeAll(async () => {
    const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
    privateKey = pair.privateKey;
    otherKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    const pem = pair.publicKey.export({ type: "spki", format: "pem" }).toString();
    ({ backend } = await openTestBackend());
    const verifier = new AlbTokenVerifier({
      region,
      expectedSigner: signer,
      fetchKey: async (kid, r) => {
        fetched.push(`${r}/${kid}`);
        if (kid !== "key-1") throw new Error("unknown key");
        return pem;
      },
    });
    app = localDashboardApp(backend, { auth: { mode: "alb", verifier }, trustProxy: true });
  });
  afterAll(async () => {
    await backend?.close();
  });

  const get = (headers: Record<string, string>) =>
    app.request("/api/session", { headers: { host: "feedback.example.com", ...headers } });

  it("accepts a valid x-amzn-oidc-data token (padded or not) and records the user's e-mail as the actor", async () => {
    const response = await get({ "x-amzn-oidc-data": token(), "x-forwarded-proto": "https" });
    expect(response.status).toBe(200);
    expect(Session.parse(await response.json())).toMatchObject({ user: "pm@example.com", authMode: "alb" });
    expect(response.headers.get("strict-transport-security")).toContain("max-age=");
    const cookie = response.headers.get("set-cookie") ?? "";
    for (const part of ["ft_csrf=", "HttpOnly", "Secure", "SameSite=Strict"]) expect(cookie).toContain(part);
    expect((await get({ "x-amzn-oidc-data": token({ padded: true, email: "ops@example.com" }) })).status).toBe(200);
    expect(fetched).toEqual(["eu-west-1/key-1"]);
  });

  it("rejects requests without the header, with a forged, expired or foreign token", async () => {
    expect((await get({})).status).toBe(401);
    expect((await get({ "x-amzn-oidc-data": token({ key: otherKey }) })).status).toBe(401);
    expect((await get({ "x-amzn-oidc-data": token({ exp: Math.floor(Date.now() / 1000) - 3600 }) })).status).toBe(401);
    expect((await get({ "x-amzn-oidc-data": token({ signer: signer.replace("abc", "other") }) })).status).toBe(401);
    expect((await get({ "x-amzn-oidc-data": "not.a.jwt" })).status).toBe(401);
    const page = await app.request("/", { headers: { host: "feedback.example.com" } });
    expect(page.status).toBe(401);
    const health = await app.request("/health", { headers: { host: "10.0.1.23:3000" } });
    expect(health.status).toBe(200);
  });

  it("refuses to serve a non-loopback address without authentication", () => {
    const dashboard = (env: Record<string, string>) => loadRuntimeConfig(env).dashboard;
    expect(() => resolveAuth({ host: "0.0.0.0", config: dashboard({}) })).toThrow(ConfigurationError);
    expect(() => resolveAuth({ host: "0.0.0.0", config: dashboard({ DASHBOARD_AUTH: "alb" }) })).toThrow(/region/);
    const alb = dashboard({ DASHBOARD_AUTH: "alb", AWS_REGION: "eu-west-1", DASHBOARD_ALB_ARN: signer });
    expect(resolveAuth({ host: "0.0.0.0", config: alb }).mode).toBe("alb");
    expect(resolveAuth({ host: "127.0.0.1", config: dashboard({}) }).mode).toBe("none");
    const aws = dashboard({ FEEDBACK_BACKEND: "aws", AWS_REGION: "eu-west-1", DASHBOARD_ALB_ARN: signer });
    expect(resolveAuth({ host: "0.0.0.0", config: aws }).mode).toBe("alb");
  });

  it("refuses ALB authentication off loopback without DASHBOARD_ALB_ARN, naming the setting and how to set it", () => {
    const dashboard = (env: Record<string, string>) => loadRuntimeConfig(env).dashboard;
    for (const config of [
      dashboard({ DASHBOARD_AUTH: "alb", AWS_REGION: "eu-west-1" }),
      dashboard({ FEEDBACK_BACKEND: "aws", AWS_REGION: "eu-west-1" }),
    ]) {
      for (const host of ["0.0.0.0", "10.0.1.23", "::"]) {
        const error = (() => {
          try {
            resolveAuth({ host, config });
          } catch (caught) {
            return caught;
          }
          return null;
        })();
        expect(error, host).toBeInstanceOf(ConfigurationError);
        expect((error as ConfigurationError).message).toMatch(/no DASHBOARD_ALB_ARN/);
        expect((error as ConfigurationError).hint).toMatch(/Set DASHBOARD_ALB_ARN to the ARN of the load balancer/);
      }
    }
    // On loopback (a tunnel to a test ALB's tokens) it still starts, with a warning from startDashboard.
    expect(
      resolveAuth({ host: "127.0.0.1", config: dashboard({ DASHBOARD_AUTH: "alb", AWS_REGION: "eu-west-1" }) }).mode,
    ).toBe("alb");
  });
});
