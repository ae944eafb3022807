/**
 * Dashboard benchmark: seeds N tickets (default 100,000) with sdk/store/ticket-writer.ts insertTickets,
 * spreads them over 90 days, starts the dashboard server in this process and prints the server time
 * (Server-Timing) and the wall time per route, p50/p95, with the aggregate cache off (every request
 * computes) and then on (the default, 5 s).
 *
 *   npm run build && node dist/bench/dashboard.js [--tickets 100000] [--requests 30] [--database-url postgres://...] [--keep]
 *
 * With a database URL a fresh database is created beside the named one and dropped afterwards, unless --keep.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import pg from "pg";
import { startDashboard } from "../dashboard/server/start.js";
import { loadRuntimeConfig } from "../sdk/config/runtime.js";
import type { SqlExecutor } from "../sdk/db/sql.js";
import { openLocalBackend } from "../sdk/open-backend.js";
import type { NewTicket } from "../sdk/ports/tickets.js";
import { CATEGORIES, PRIORITIES } from "../sdk/schemas/feedback.js";
import { insertTickets } from "../sdk/store/ticket-writer.js";
import { benchArgs, wholeNumber, withUsage } from "./support/bench-args.js";

const USAGE =
  "Usage: node dist/bench/dashboard.js [--tickets 100000] [--requests 30] [--batch-size 2000] [--database-url postgres://...] [--keep]";
const values = benchArgs(USAGE, {
  tickets: { type: "string", default: "100000" },
  requests: { type: "string", default: "30" },
  "database-url": { type: "string" },
  "batch-size": { type: "string", default: "2000" },
  // Keep the seeded PostgreSQL database (and skip the write-cost part) to inspect its plans and index use.
  keep: { type: "boolean", default: false },
});
const total = withUsage(USAGE, () => wholeNumber(values.tickets, "--tickets"));
const requests = withUsage(USAGE, () => wholeNumber(values.requests, "--requests"));
const batchSize = withUsage(USAGE, () => wholeNumber(values["batch-size"], "--batch-size"));

const WORDS =
  "app crash crashes login sync photo upload export calendar notification dark mode battery slow freeze payment refund subscription widget offline search settings profile camera video share backup tablet keyboard screen button update version account password email chat map".split(
    " ",
  );
const DEVICES = [
  "iPhone 15 Pro",
  "iPhone 14",
  "iPhone 12",
  "iPad Air",
  "Pixel 8",
  "Pixel 7a",
  "Galaxy S23",
  "Galaxy A54",
  "OnePlus 11",
  "Redmi Note 12",
];
const VERSIONS = ["4.2.0", "4.1.3", "4.1.2", "4.0.0", "3.9.8", "3.9.5"];
const FEATURES = [
  "dark mode",
  "offline mode",
  "calendar sync",
  "export to pdf",
  "widgets",
  "apple watch app",
  "shared folders",
  "two-factor login",
  "custom themes",
  "bulk edit",
  "tags",
  "api access",
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const random = rng(42);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");

function makeTicket(n: number): NewTicket {
  const category = random() < 0.97 ? pick(CATEGORIES.slice(0, 5)) : "Failed";
  const priority = pick(PRIORITIES);
  const isReview = random() < 0.7;
  const device = pick(DEVICES);
  const platform = /iPhone|iPad/.test(device) ? "iOS" : "Android";
  const version = pick(VERSIONS);
  const text = `${sentence(12 + Math.floor(random() * 20))} (${n})`;
  const rating = isReview ? 1 + Math.floor(random() * 5) : null;
  const confidence = Math.round(random() * 100) / 100;
  const sourceType = isReview ? "app_store_review" : "email";
  return {
    id: randomUUID(),
    item: {
      sourceType,
      sourceId: `${isReview ? "R" : "E"}-${n}`,
      channel: isReview ? "app_store" : "email",
      text,
      subject: isReview ? null : sentence(5),
      author: null,
      rating,
      statedPriority: null,
      appVersion: version,
      device,
      platform,
      language: "en",
      app: null,
      submittedAt: null,
      metadata: {},
      contentHash: createHash("sha256").update(text).digest("hex"),
    },
    title: `[${category.toUpperCase()}] ${sentence(5)}`.slice(0, 200),
    description: `Original feedback (${sourceType}):\n> ${text}\n\nExtracted details:\n- Platform: ${platform}\n- App version: ${version}\n- Device: ${device}\n\nClassification: ${category} (confidence ${confidence}); priority ${priority}.`,
    category,
    priority,
    confidence,
    technicalDetails: {
      device,
      platform,
      appVersion: version,
      os: platform === "iOS" ? "iOS 17.4" : "Android 14",
      ...(category === "Feature Request" ? { requestedCapability: pick(FEATURES) } : {}),
      ...(category === "Bug"
        ? { severity: pick(["low", "medium", "high", "critical"]), affectedFeature: pick(WORDS) }
        : {}),
    },
    status: confidence < 0.3 ? "needs_review" : "open",
    qualityScore: 7,
    reviewReasons: confidence < 0.3 ? ["low confidence"] : [],
    logs: [
      {
        agent: "classifier",
        action: "classify",
        result: { category },
        confidence,
        durationMs: 0.2,
        tokensIn: null,
        tokensOut: null,
      },
    ],
    messageId: null,
  };
}

async function freshDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ft_bench_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function seed(sql: SqlExecutor, count: number, offset = 0): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, count - i) }, (_, j) => makeTicket(offset + i + j));
    await insertTickets(sql, batch);
  }
  return (count / (performance.now() - started)) * 1000;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const fmt = (n: number) => n.toFixed(1).padStart(7);

async function measure(base: string, routes: [string, string][], label: string): Promise<void> {
  console.log(`\n${label}`);
  console.log(
    `${"route".padEnd(52)} ${"server p50".padStart(10)} ${"p95".padStart(7)} ${"wall p50".padStart(9)} ${"p95".padStart(7)}  (ms, ${requests} requests)`,
  );
  for (const [name, url] of routes) {
    const server: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < requests + 2; i++) {
      const started = performance.now();
      const response = await fetch(`${base}${url}`);
      await response.arrayBuffer();
      const elapsed = performance.now() - started;
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      const timing = Number(/dur=([\d.]+)/.exec(response.headers.get("server-timing") ?? "")?.[1] ?? Number.NaN);
      if (i >= 2) {
        server.push(timing);
        wall.push(elapsed);
      }
    }
    server.sort((a, b) => a - b);
    wall.sort((a, b) => a - b);
    console.log(
      `${name.padEnd(52)} ${fmt(percentile(server, 50)).padStart(10)} ${fmt(percentile(server, 95))} ${fmt(percentile(wall, 50)).padStart(9)} ${fmt(percentile(wall, 95))}`,
    );
  }
}

async function main() {
  const work = await mkdtemp(path.join(os.tmpdir(), "ft-bench-dashboard-"));
  const db = values["database-url"] ? await freshDatabase(values["database-url"]) : null;
  const config = loadRuntimeConfig({ ...process.env, DATABASE_URL: "" });
  const { backend, database } = await openLocalBackend({
    config,
    dataDir: path.join(work, "data"),
    databaseUrl: db?.url,
    role: "owner",
  });
  const sql = database.sql;
  try {
    console.log(`Dashboard benchmark: ${total.toLocaleString("en-US")} tickets on ${backend.description}`);
    const rate = await seed(sql, total);
    console.log(
      `seeded with insertTickets in batches of ${batchSize}: ${Math.round(rate).toLocaleString("en-US")} tickets/s (with the dashboard's indexes)`,
    );
    let started = performance.now();
    await sql.query(`UPDATE tickets SET created_at = now() - (random() * interval '90 days'), updated_at = now()`);
    for (const statement of ["VACUUM FULL tickets", "ANALYZE tickets", "ANALYZE feedback_items"])
      await sql.query(statement);
    console.log(`spread over 90 days, VACUUM FULL + ANALYZE: ${Math.round(performance.now() - started)} ms`);

    const { rows } = await sql.query<{ id: string }>(
      `SELECT id::text AS id FROM tickets ORDER BY created_at DESC LIMIT 1 OFFSET 5000`,
    );
    const detailId = rows[0]!.id;
    const today = new Date().toISOString().slice(0, 10);
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const quarterAgo = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
    const routes: [string, string][] = [
      ["GET / (overview page)", "/"],
      ["GET /api/overview", "/api/overview"],
      ["GET /tickets (newest first, 50)", "/tickets"],
      ["GET /tickets sort=priority", "/tickets?sort=priority"],
      ["GET /tickets sort=confidence asc", "/tickets?sort=confidence&order=asc"],
      ["GET /tickets category=Bug&priority=Critical", "/tickets?category=Bug&priority=Critical"],
      ["GET /tickets status=needs_review source=email", "/tickets?status=needs_review&source=email"],
      [`GET /tickets since=${weekAgo} until=${today}`, `/tickets?since=${weekAgo}&until=${today}`],
      ["GET /tickets q=crash (common word)", "/tickets?q=crash"],
      ["GET /tickets q=calendar sync refund (3 words)", "/tickets?q=calendar+sync+refund"],
      ["GET /tickets q=R-4242 (a source id)", "/tickets?q=R-4242"],
      ["GET /tickets page=100 (offset 4,950)", "/tickets?page=100"],
      ["GET /api/tickets?size=200", "/api/tickets?size=200"],
      ["GET /tickets/:id (detail)", `/tickets/${detailId}`],
      ["GET /review (needs_review, oldest first)", "/review"],
      ["GET /analytics (90 days)", "/analytics"],
      // The same tickets (seeded without a feedback date, so both ranges are over created_at), over a range by triage
      // date: the rollups' triage-day key (migration 20261215000000).
      ["GET /analytics by=created (90 days)", `/analytics?by=created&since=${quarterAgo}`],
      ["GET /operations", "/operations"],
    ];
    for (const cacheTtlMs of [0, 5000]) {
      const dashboard = await startDashboard({
        config,
        backend,
        port: 0,
        worker: false,
        cacheTtlMs,
        log: () => undefined,
      });
      try {
        await measure(
          dashboard.url,
          cacheTtlMs ? routes.filter(([, u]) => u === "/" || u === "/api/overview" || u === "/analytics") : routes,
          cacheTtlMs ? "aggregate cache on (default, 5 s)" : "aggregate cache off: every request computes",
        );
        if (!cacheTtlMs) {
          started = performance.now();
          const csv = await (await fetch(`${dashboard.url}/api/export.csv`)).text();
          const lines = (parse(csv, { bom: true, columns: true }) as unknown[]).length;
          console.log(
            `\nGET /api/export.csv (all tickets): ${lines.toLocaleString("en-US")} rows in ${Math.round(performance.now() - started)} ms`,
          );
        }
      } finally {
        await dashboard.close();
      }
    }

    if (values.keep && db) {
      console.log(`\nkept ${db.url}`);
      return;
    }
    // What the search index costs the hot write path: the same inserts without it.
    const extra = Math.min(20_000, total);
    const withIndex = await seed(sql, extra, total);
    await sql.query(`DROP INDEX tickets_search_idx`);
    const withoutIndex = await seed(sql, extra, total + extra);
    started = performance.now();
    await sql.query(
      `CREATE INDEX "tickets_search_idx" ON "tickets" USING GIN (to_tsvector('simple', "source_id" || ' ' || "title" || ' ' || "description"))`,
    );
    console.log(
      `\nwrite cost of the search index: insertTickets ${Math.round(withIndex).toLocaleString("en-US")} tickets/s with it, ${Math.round(withoutIndex).toLocaleString("en-US")} without (${extra.toLocaleString("en-US")} each); building it on ${(total + 2 * extra).toLocaleString("en-US")} tickets: ${Math.round(performance.now() - started)} ms`,
    );
  } finally {
    await backend.close();
    if (!values.keep) await db?.drop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
