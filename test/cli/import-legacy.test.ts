import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ImportLegacyJson, TicketShowJson, TicketsListJson } from "../../cli/output-schemas.js";
import { repoRoot, runCli } from "../support/cli.js";
import { useCliWorkspace } from "../support/cli-workspace.js";
import { writeTempFile } from "../support/factories.js";

const HEADER =
  "ticket_id,source_id,source_type,title,category,priority,description,technical_details,confidence,status,created_at";

/** Three valid rows in legacy spellings, then four faulty ones (the third valid row spans two lines). */
const LEGACY = [
  HEADER,
  'L-1,AR-1,app_store_review,Crash on start since 4.1,BUG,critical,App closes at once.,"{""platform"": ""iOS""}",0.93,Open,2025-01-14T09:12:00Z',
  "L-2,SE-2,Email,Export to PDF please,feature request,Medium,Wants PDF export.,,0.8,APPROVED,2025-01-15",
  'L-3,AR-3,review,Charged twice for the plan,Complaint,high,"Two charges,\nplease refund.",{},0.9,needs review,2025-01-16T10:00:00Z',
  "L-4,AR-4,app_store_review,Sync is broken,bug,blocker,x,,0.7,open,2025-01-17",
  "L-5,AR-5,app_store_review,Sync is broken,Bugs,high,x,,0.7,open,2025-01-17",
  "L-6,AR-6,app_store_review,Sync is broken,bug,high,x,{not json,0.7,open,2025-01-17",
  "L-7,AR-7,app_store_review,Sync is broken,bug,high,x,,0.7,open,someday",
].join("\n");

describe("feedback-cli import legacy", () => {
  const ws = useCliWorkspace("ft-cli-import-");
  const cli = (...args: string[]) => runCli(args, { cwd: ws.cwd, env: ws.env() });
  const importJson = async (...args: string[]) => {
    const result = await cli("import", "legacy", ...args, "--json");
    expect(result.code, result.stderr).toBe(0);
    return ImportLegacyJson.parse(JSON.parse(result.stdout));
  };
  const tickets = async () =>
    TicketsListJson.parse(JSON.parse((await cli("tickets", "list", "--all", "--json")).stdout));

  it("writes nothing with --dry-run, and says what it would import", async () => {
    const file = await writeTempFile("legacy.csv", LEGACY);
    const summary = await importJson(file, "--dry-run");
    expect(summary).toMatchObject({ dryRun: true, read: 7, valid: 3, rejected: 4, created: 3, duplicates: 0 });
    expect(await tickets()).toEqual([]);
  });

  it("imports the valid rows with legacy spellings mapped, their own dates and a history entry", async () => {
    const file = await writeTempFile("legacy.csv", LEGACY);
    const summary = await importJson(file);
    expect(summary).toMatchObject({ dryRun: false, read: 7, valid: 3, rejected: 4, created: 3, duplicates: 0 });
    const imported = await tickets();
    expect(
      imported.map((t) => [t.sourceType, t.sourceId, t.category, t.priority, t.status, t.createdAt]).sort(),
    ).toEqual([
      ["app_store_review", "AR-1", "Bug", "Critical", "open", "2025-01-14T09:12:00.000Z"],
      ["app_store_review", "AR-3", "Complaint", "High", "needs_review", "2025-01-16T10:00:00.000Z"],
      ["email", "SE-2", "Feature Request", "Medium", "approved", "2025-01-15T00:00:00.000Z"],
    ]);
    expect(imported.find((t) => t.sourceId === "AR-1")?.technicalDetails).toEqual({ platform: "iOS" });
    const shown = await cli("tickets", "show", imported[0]!.id, "--json");
    const history = TicketShowJson.parse(JSON.parse(shown.stdout)).history;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ actor: "import", reason: "imported from legacy" });
  });

  it("writes nothing new when the same file is imported again", async () => {
    const file = await writeTempFile("legacy.csv", LEGACY);
    const before = await tickets();
    const summary = await importJson(file);
    expect(summary).toMatchObject({ created: 0, duplicates: 3, rejected: 4 });
    expect(await tickets()).toEqual(before);
  });

  it("reports each faulty row with file, line, field and the allowed values, as ingest does", async () => {
    const file = await writeTempFile("legacy.csv", LEGACY);
    const summary = await importJson(file, "--dry-run");
    expect(summary.errors.map((e) => [e.line, e.field, e.recordId])).toEqual([
      [6, "priority", "L-4"],
      [7, "category", "L-5"],
      [8, "technical_details", "L-6"],
      [9, "created_at", "L-7"],
    ]);
    expect(summary.errors.every((e) => e.file === file && e.hint.length > 0)).toBe(true);
    expect(summary.errors[0]!.message).toBe("priority 'blocker' is not one of Critical, High, Medium, Low");
    expect(summary.errors[1]!.message).toContain("Bug, Feature Request, Praise, Complaint, Spam, Failed");
  });

  it("prints row errors as file:line [field] message in text", async () => {
    const file = await writeTempFile("legacy.csv", LEGACY);
    const result = await cli("import", "legacy", file, "--dry-run");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${file}:6 [priority] priority 'blocker' is not one of`);
  });

  it("refuses a file without the legacy columns, naming the missing ones", async () => {
    const file = await writeTempFile("other.csv", "review_id,rating\nR1,5\n");
    const result = await cli("import", "legacy", file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("ticket_id");
  });

  it("imports the shipped example, rejecting its one unknown priority", async () => {
    const example = path.join(repoRoot, "examples/legacy_tickets.csv");
    expect(await readFile(example, "utf8")).toContain(HEADER);
    const summary = await importJson(example, "--dry-run");
    expect(summary).toMatchObject({ read: 5, valid: 4, rejected: 1 });
  });

  const oneRow = (id: string) =>
    writeTempFile(
      "legacy.csv",
      `${HEADER}\n${id},${id},email,Dark mode please,Feature Request,Low,,,0.8,open,2025-02-01\n`,
    );
  const appOf = async (sourceId: string) => (await tickets()).find((t) => t.sourceId === sourceId)?.app;

  it("gives imported tickets the configured default app", async () => {
    expect((await cli("config", "set", "defaultApp", "com.example.notes")).code).toBe(0);
    await importJson(await oneRow("DA-1"));
    expect(await appOf("DA-1")).toBe("com.example.notes");
  });

  it("gives imported tickets the app named by --app, over the configured default", async () => {
    await importJson(await oneRow("DA-2"), "--app", "com.example.tasks");
    expect(await appOf("DA-2")).toBe("com.example.tasks");
  });

  it("refuses an empty --app, naming the flag (exit 2)", async () => {
    const result = await cli("import", "legacy", await oneRow("DA-3"), "--app", " ");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--app");
  });
});
