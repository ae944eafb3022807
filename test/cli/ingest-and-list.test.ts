import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IngestSummaryJson, StatusJson, TicketShowJson, TicketsListJson } from "../../cli/output-schemas.js";
import { runCli, sampleDir } from "../support/cli.js";
import { createTestDatabase, type TestDatabase, testBackend } from "../support/database.js";

describe("feedback-cli ingest, tickets, status", () => {
  let cwd: string;
  let db: TestDatabase | null = null;
  const backendEnv = () => (db?.url ? { DATABASE_URL: db.url } : {});
  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), "ft-cli-"));
    if (testBackend === "postgres") db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("ingests the sample reviews with --wait and lists the critical tickets as a JSON array", async () => {
    const ingest = await runCli(["ingest", path.join(sampleDir, "app_store_reviews.csv"), "--wait", "--json"], {
      cwd,
      env: backendEnv(),
    });
    expect(ingest.stderr).toBe("");
    expect(ingest.code).toBe(0);
    const summary = IngestSummaryJson.parse(JSON.parse(ingest.stdout));
    expect(summary.totals).toMatchObject({ read: 30, valid: 30, rejected: 0, enqueued: 30 });
    expect(summary.processed?.ticketsCreated).toBe(30);

    const list = await runCli(["tickets", "list", "--priority", "critical", "--json"], { cwd, env: backendEnv() });
    expect(list.code).toBe(0);
    const tickets = TicketsListJson.parse(JSON.parse(list.stdout));
    expect(tickets.length).toBeGreaterThan(0);
    expect(tickets.every((t) => t.priority === "Critical" && t.sourceType === "app_store_review")).toBe(true);
  });

  it("ingests the sample e-mails and lists them by source", async () => {
    const ingest = await runCli(["ingest", path.join(sampleDir, "support_emails.csv"), "--wait", "--json"], {
      cwd,
      env: backendEnv(),
    });
    expect(ingest.code).toBe(0);
    expect(IngestSummaryJson.parse(JSON.parse(ingest.stdout)).processed?.ticketsCreated).toBe(20);
    const list = await runCli(["tickets", "list", "--source", "email", "--limit", "100", "--json"], {
      cwd,
      env: backendEnv(),
    });
    const tickets = TicketsListJson.parse(JSON.parse(list.stdout));
    expect(tickets).toHaveLength(20);
  });

  it("skips items that already have tickets when the same file is ingested again", async () => {
    const again = await runCli(["ingest", path.join(sampleDir, "app_store_reviews.csv"), "--json"], {
      cwd,
      env: backendEnv(),
    });
    const summary = IngestSummaryJson.parse(JSON.parse(again.stdout));
    expect(summary.totals).toMatchObject({ enqueued: 0, duplicatesSkipped: 30 });
  });

  it("shows one ticket with its processing log", async () => {
    const list = await runCli(["tickets", "list", "--limit", "1", "--json"], { cwd, env: backendEnv() });
    const [ticket] = TicketsListJson.parse(JSON.parse(list.stdout));
    const show = await runCli(["tickets", "show", ticket!.id, "--json"], { cwd, env: backendEnv() });
    const detail = TicketShowJson.parse(JSON.parse(show.stdout));
    expect(detail.logs.length).toBeGreaterThan(0);
    expect(detail.feedback).not.toBeNull();
  });

  it("reports status with queue depth and ticket counts", async () => {
    const status = await runCli(["status", "--json"], { cwd, env: backendEnv() });
    const parsed = StatusJson.parse(JSON.parse(status.stdout));
    expect(parsed.tickets.total).toBe(50);
    expect(parsed.queue.visible).toBe(0);
  });

  it("shows the effective configuration under configuration, secrets redacted", async () => {
    const secrets = { ANTHROPIC_API_KEY: "sk-ant-do-not-show", FEEDBACK_WEBHOOK_SECRET_GENERIC: "whsec-do-not-show" };
    const status = await runCli(["status", "--json"], {
      cwd,
      env: { ...backendEnv(), ...secrets, FEEDBACK_WORKER_BATCH_SIZE: "25" },
    });
    expect(status.stdout).not.toMatch(/do-not-show/);
    const { configuration } = StatusJson.parse(JSON.parse(status.stdout));
    expect(configuration.agents.anthropicApiKey).toBe("***");
    expect(configuration.webhooks.secrets.generic).toBe("***");
    expect(configuration.worker.batchSize).toBe(25);
    expect(configuration.backend.dataDir).toBe(path.join(cwd, ".feedback-triage"));
  });

  it("validates without enqueueing on --dry-run", async () => {
    const dry = await runCli(["ingest", path.join(sampleDir, "support_emails.csv"), "--dry-run", "--json"], {
      cwd: await mkdtemp(path.join(tmpdir(), "ft-cli-dry-")),
    });
    const summary = IngestSummaryJson.parse(JSON.parse(dry.stdout));
    expect(summary).toMatchObject({ dryRun: true, totals: { valid: 20, enqueued: 0 } });
  });

  it("prints plain text, not Ink, when piped", async () => {
    const list = await runCli(["tickets", "list", "--limit", "3"], { cwd, env: backendEnv() });
    expect(list.stdout).toMatch(/^ID\s+PRIORITY\s+CATEGORY/);
    expect(list.stdout).toMatch(/Showing 1-3 of 50/);
  });

  it("a NUL in one of two NDJSON records: the other is ingested and ticketed, the line is reported", async () => {
    const records = [
      { review_id: "N1", rating: 1, review_text: "Crash\u0000 when I open the camera", user_name: "ann" },
      { review_id: "N2", rating: 5, review_text: "Caf\uFFFD mode is great, love it", user_name: "Zo\uFFFD" },
    ];
    const file = path.join(cwd, "two.ndjson");
    await writeFile(file, `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const run = await runCli(["ingest", file, "--wait", "--json"], { cwd, env: backendEnv() });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const summary = IngestSummaryJson.parse(JSON.parse(run.stdout));
    expect(summary.totals).toMatchObject({ read: 2, valid: 1, rejected: 1, enqueued: 1 });
    expect(summary.processed?.ticketsCreated).toBe(1);
    expect(summary.errors).toMatchObject([
      { file, line: 1, field: "review_text", message: expect.stringContaining("a NUL character (U+0000)") },
    ]);

    const strict = await runCli(["ingest", file, "--dry-run", "--strict"], { cwd, env: backendEnv() });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("line 1, field 'review_text'");
  });

  it("lists only the German tickets with --language de, each with its language in --json", async () => {
    const file = path.join(cwd, "languages.csv");
    await writeFile(
      file,
      [
        "review_id,platform,rating,review_text,user_name,date,app_version",
        "L-DE,Android,1,Die App stürzt seit dem letzten Update jedes Mal beim Öffnen ab,jan,2025-03-02,4.2.0",
        "L-EN,iOS,1,The app crashes every time I open it since the last update,ann,2025-03-02,4.2.0",
        "L-FR,iOS,2,L'application plante à chaque fois que j'essaie d'envoyer une photo,luc,2025-03-02,4.2.0",
        "",
      ].join("\n"),
    );
    const ingest = await runCli(["ingest", file, "--wait", "--json"], { cwd, env: backendEnv() });
    expect(ingest.code).toBe(0);
    const list = await runCli(["tickets", "list", "--language", "de", "--json"], { cwd, env: backendEnv() });
    expect(list.code).toBe(0);
    const tickets = TicketsListJson.parse(JSON.parse(list.stdout));
    expect(tickets.map((t) => [t.sourceId, t.language, t.status])).toEqual([["L-DE", "de", "needs_review"]]);
    expect(tickets[0]?.reviewReasons[0]).toBe("written in German: the offline crew reads English only");
  });

  it("names the app of an ingest with --app; tickets list --app --json gives each ticket's submittedAt and app", async () => {
    const file = path.join(cwd, "notes-reviews.csv");
    await writeFile(
      file,
      [
        "review_id,platform,rating,review_text,user_name,date,app_version",
        "APP-1,ios,1,The app crashes every time I open the calendar,ann,2025-01-10,4.2.0",
        "APP-2,Android,1,Sync fails with an error every time I save a note,bob,2025-03-28,4.3.0",
        "",
      ].join("\n"),
    );
    const ingest = await runCli(["ingest", file, "--app", "com.example.notes", "--wait", "--json"], {
      cwd,
      env: backendEnv(),
    });
    expect(ingest.code).toBe(0);
    const list = await runCli(["tickets", "list", "--app", "com.example.notes", "--json"], { cwd, env: backendEnv() });
    expect(list.code).toBe(0);
    const tickets = TicketsListJson.parse(JSON.parse(list.stdout));
    expect(tickets.map((t) => [t.sourceId, t.app, t.submittedAt]).sort()).toEqual([
      ["APP-1", "com.example.notes", "2025-01-10T00:00:00.000Z"],
      ["APP-2", "com.example.notes", "2025-03-28T00:00:00.000Z"],
    ]);
    const byDate = await runCli(
      ["tickets", "list", "--app", "com.example.notes", "--by", "submitted", "--until", "2025-02-01", "--json"],
      { cwd, env: backendEnv() },
    );
    expect(TicketsListJson.parse(JSON.parse(byDate.stdout)).map((t) => t.sourceId)).toEqual(["APP-1"]);
  });
});

describe("feedback-cli errors and exit codes", () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), "ft-cli-err-"));
  });

  it("exits 2 with usage help on an unknown option value", async () => {
    const result = await runCli(["tickets", "list", "--priority", "urgent"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/'urgent' is not a priority; use one of: critical, high, medium, low/);
  });

  it("exits 2 naming a malformed --language code", async () => {
    const result = await runCli(["tickets", "list", "--language", "german"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/'german' is not a language code; use ISO 639-1 codes such as en, de, fr/);
  });

  it("exits 2 naming --app when its value is blank", async () => {
    for (const args of [
      ["tickets", "list", "--app", " "],
      ["ingest", path.join(sampleDir, "app_store_reviews.csv"), "--dry-run", "--app", ""],
    ]) {
      const result = await runCli(args, { cwd });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--app needs an app name/);
    }
  });

  it("exits 1 naming a malformed setting and how to fix it", async () => {
    const result = await runCli(["status"], { cwd, env: { FEEDBACK_LOG_LEVEL: "loud" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FEEDBACK_LOG_LEVEL "loud" is not one of debug, info, warn, error, silent/);
    expect(result.stderr).toMatch(/Set FEEDBACK_LOG_LEVEL to/);
  });

  it("shows --help whatever the environment holds", async () => {
    expect((await runCli(["--help"], { cwd, env: { FEEDBACK_LOG_LEVEL: "loud" } })).code).toBe(0);
  });

  it("exits 2 on an unknown command", async () => {
    expect((await runCli(["frobnicate"], { cwd })).code).toBe(2);
  });

  it("exits 1 naming the missing file and keeps going with the other files", async () => {
    const good = path.join(cwd, "good.csv");
    await writeFile(
      good,
      "review_id,user_name,rating,review_text,date,app_version,device\nX1,a,5,Great app,2024-12-01,1.0,Pixel 8\n",
    );
    const result = await runCli(["ingest", path.join(cwd, "missing.csv"), good, "--dry-run"], { cwd });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/missing\.csv/);
    expect(result.stdout).toMatch(/good\.csv \(csv, app_store_review\): read 1, valid 1/);
  });

  it("exits 1 with a hint for an unknown ticket id", async () => {
    const result = await runCli(["tickets", "show", "00000000-0000-0000-0000-000000000000"], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No ticket with id/);
    expect(result.stderr).toMatch(/feedback-cli tickets list/);
  });

  it("reports a rejected row with file, line, field and fix, and ingests the valid rows", async () => {
    const file = path.join(cwd, "mixed.csv");
    await writeFile(
      file,
      "review_id,user_name,rating,review_text,date,app_version,device\nA1,a,5,Great app,2024-12-01,1.0,Pixel 8\nA2,b,9,Crashes,2024-12-01,1.0,Pixel 8\n",
    );
    const result = await runCli(["ingest", file, "--dry-run"], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/mixed\.csv, line 3, field 'rating'/);
    expect(result.stdout).toMatch(/valid 1, rejected 1/);
  });

  it("--encoding windows-1252 reads a legacy export; bad bytes in a UTF-8 file are a warning naming the option", async () => {
    const header = "review_id,platform,rating,review_text,user_name,date,app_version\n";
    const legacy = path.join(cwd, "legacy.csv");
    await writeFile(legacy, Buffer.from(`${header}W1,ios,4,Tr\xe8s bien,zo\xe9,2024-12-15,3.2.1\n`, "latin1"));
    const forced = await runCli(["ingest", legacy, "--dry-run", "--json", "--encoding", "windows-1252"], { cwd });
    expect(forced.code).toBe(0);
    expect(IngestSummaryJson.parse(JSON.parse(forced.stdout)).totals).toMatchObject({ valid: 1, rejected: 0 });

    const mixed = path.join(cwd, "mixed-bytes.csv");
    await writeFile(
      mixed,
      Buffer.concat([
        Buffer.from(`${header}M1,ios,4,Gr\u00fc\u00dfe aus M\u00fcnchen \u00e7a va,bob,2024-12-15,3.2.1\n`),
        Buffer.from("M2,ios,4,Tr\xe8s bien,zo\xe9,2024-12-15,3.2.1\n", "latin1"),
      ]),
    );
    const flagged = await runCli(["ingest", mixed, "--dry-run"], { cwd });
    expect(flagged.code).toBe(0);
    expect(flagged.stdout).toContain("Warnings (rows kept):");
    expect(flagged.stdout).toContain("line 3: line 3 held bytes that are not valid UTF-8");
    expect(flagged.stdout).toContain("--encoding windows-1252");

    const wrong = await runCli(["ingest", mixed, "--dry-run", "--encoding", "ebcdic"], { cwd });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain("windows-1252");
  });
});
