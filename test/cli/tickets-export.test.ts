import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { exportColumns } from "../../app/tickets/export.js";
import { TicketsListJson } from "../../cli/output-schemas.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { openLocalBackend } from "../../sdk/open-backend.js";
import type { Ticket } from "../../sdk/schemas/ticket.js";
import { localDashboardApp, seedTickets } from "../dashboard/support.js";
import { runCli } from "../support/cli.js";
import { useCliWorkspace } from "../support/cli-workspace.js";

const SEEDED = 1500;
const FORMULAS = ['=HYPERLINK("http://evil")', "+cmd|' /C calc'!A0", "-2+3+cmd", "@SUM(A1:A2)"];

/** The embedded folder (or PostgreSQL database) the CLI of this workspace uses, opened in this process. */
async function openWorkspace(cwd: string, env: NodeJS.ProcessEnv) {
  return openLocalBackend({
    config: loadRuntimeConfig({}),
    dataDir: path.join(cwd, ".feedback-triage"),
    databaseUrl: env.DATABASE_URL,
    role: "owner",
  });
}

/** A ticket as a CSV cell would spell each field (objects and arrays as JSON, null as empty). */
const asCsvRow = (t: Ticket) =>
  Object.fromEntries(
    Object.entries(t).map(([k, v]) => [k, v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v)]),
  );

describe("feedback-cli tickets export and tickets list --all", () => {
  const ws = useCliWorkspace("ft-cli-export-");
  const cli = (...args: string[]) => runCli(args, { cwd: ws.cwd, env: ws.env() });
  let all: Ticket[] = [];

  beforeAll(async () => {
    const { backend, database } = await openWorkspace(ws.cwd, ws.env());
    try {
      await seedTickets(database.sql, [
        ...Array.from({ length: SEEDED - FORMULAS.length }, (_, i) => ({
          category: i % 3 === 0 ? ("Bug" as const) : ("Praise" as const),
          priority: i % 5 === 0 ? ("Critical" as const) : ("Low" as const),
          text: `Ticket number ${i}, with "quotes", commas and\na second line`,
          technicalDetails: { platform: i % 2 ? "iOS" : "Android", stepsToReproduce: ["open", "tap"] },
        })),
        ...FORMULAS.map((text) => ({ category: "Complaint" as const, title: text, text })),
      ]);
    } finally {
      await backend.close();
    }
    const listed = await cli("tickets", "list", "--all", "--json");
    expect(listed.code, listed.stderr).toBe(0);
    all = TicketsListJson.parse(JSON.parse(listed.stdout));
  }, 120_000);

  it("lists every matching ticket with --all --json, beyond the 1,000 one page holds", () => {
    expect(all).toHaveLength(SEEDED);
    expect(new Set(all.map((t) => t.id)).size).toBe(SEEDED);
    const created = all.map((t) => t.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
  });

  it("streams --all as text rows, one per ticket, whatever --limit says", async () => {
    const result = await cli("tickets", "list", "--all", "--limit", "5", "--category", "bug");
    expect(result.code, result.stderr).toBe(0);
    const rows = result.stdout.split("\n").filter((line) => /^[0-9a-f]{8}-[0-9a-f-]{27} /.test(line));
    expect(rows).toHaveLength(all.filter((t) => t.category === "Bug").length);
    expect(result.stdout).toContain(`${rows.length} tickets.`);
  });

  it("exports CSV with the Ticket schema's columns that parses back to what tickets list prints", async () => {
    const result = await cli("tickets", "export", "--format", "csv");
    expect(result.code, result.stderr).toBe(0);
    const rows = parse(result.stdout, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(exportColumns());
    const plain = (t: Ticket) => !FORMULAS.includes(t.title);
    expect(rows.filter((r) => !FORMULAS.some((f) => r.title === `'${f}`))).toEqual(all.filter(plain).map(asCsvRow));
    expect(JSON.parse(rows[0]!.technicalDetails!)).toEqual(all[0]!.technicalDetails);
  });

  it("exports JSON: one array equal to what tickets list --all --json prints", async () => {
    const result = await cli("tickets", "export", "--format", "json");
    expect(result.code, result.stderr).toBe(0);
    expect(TicketsListJson.parse(JSON.parse(result.stdout))).toEqual(all);
  });

  it("exports NDJSON: one ticket per line, equal to what tickets list prints", async () => {
    const result = await cli("tickets", "export", "--format", "ndjson");
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(SEEDED);
    expect(TicketsListJson.parse(lines.map((line) => JSON.parse(line)))).toEqual(all);
  });

  it("applies the filters of tickets list", async () => {
    const result = await cli("tickets", "export", "--format", "ndjson", "--category", "bug", "--priority", "critical");
    expect(result.code, result.stderr).toBe(0);
    const ids = result.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line).id);
    const expected = all.filter((t) => t.category === "Bug" && t.priority === "Critical").map((t) => t.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids).toEqual(expected);
  });

  it("writes the export to --out and nothing to stdout", async () => {
    const out = path.join(ws.cwd, "tickets.ndjson");
    const result = await cli("tickets", "export", "--format", "ndjson", "--out", out);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    expect((await readFile(out, "utf8")).trimEnd().split("\n")).toHaveLength(SEEDED);
  });

  it("refuses --out in a folder that does not exist with exit 1, naming the folder and how to fix it", async () => {
    const folder = path.join(ws.cwd, "missing", "dir");
    const result = await cli("tickets", "export", "--out", path.join(folder, "x.csv"));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the folder ${folder} does not exist`);
    expect(result.stderr).toContain(`mkdir -p ${folder}`);
    expect(result.stderr).not.toContain("unexpected failure");
  });

  it("neutralises spreadsheet formulas in CSV cells with a leading quote", async () => {
    const result = await cli("tickets", "export", "--format", "csv", "--category", "complaint");
    expect(result.code, result.stderr).toBe(0);
    const rows = parse(result.stdout, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.title).sort()).toEqual(FORMULAS.map((f) => `'${f}`).sort());
    expect(rows.map((r) => r.description).sort()).toEqual(FORMULAS.map((f) => `'${f}`).sort());
    expect(rows.every((r) => /^\d/.test(r.confidence!))).toBe(true);
  });

  it("refuses an unknown --format with exit 2 naming the flag", async () => {
    const result = await cli("tickets", "export", "--format", "xlsx");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--format");
  });

  it("gives the same bytes from the dashboard's /api/export.csv as tickets export --format csv, same filter", async () => {
    const fromCli = await runCli(["tickets", "export", "--format", "csv", "--category", "bug", "--priority", "low"], {
      cwd: ws.cwd,
      env: ws.env(),
    });
    expect(fromCli.code, fromCli.stderr).toBe(0);
    const { backend } = await openWorkspace(ws.cwd, ws.env());
    try {
      const app = localDashboardApp(backend);
      const response = await app.request("/api/export.csv?category=Bug&priority=Low", {
        headers: { host: "127.0.0.1:8080" },
      });
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(fromCli.stdout, "utf8"))).toBe(true);
    } finally {
      await backend.close();
    }
  });
});
