import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IngestSummaryJson } from "../../cli/output-schemas.js";
import { runCli } from "../support/cli.js";
import { createTestDatabase, type TestDatabase, testBackend } from "../support/database.js";

describe("feedback-cli ingest: one unreadable record costs that record only", () => {
  let cwd: string;
  let db: TestDatabase | null = null;
  const backendEnv = () => (db?.url ? { DATABASE_URL: db.url } : {});
  const fixture = async (name: string, content: string | Buffer) => {
    const file = path.join(cwd, name);
    await writeFile(file, content);
    return file;
  };
  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), "ft-cli-input-"));
    if (testBackend === "postgres") db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("a NUL in one of two NDJSON records: the other is ingested and ticketed, the line is reported", async () => {
    const records = [
      { review_id: "N1", rating: 1, review_text: "Crash\u0000 when I open the camera", user_name: "ann" },
      { review_id: "N2", rating: 5, review_text: "Caf\uFFFD mode is great, love it", user_name: "Zo\uFFFD" },
    ];
    const file = await fixture("two.ndjson", `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
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

  it("--encoding windows-1252 reads a legacy export; bad bytes in a UTF-8 file are a warning naming the option", async () => {
    const header = "review_id,platform,rating,review_text,user_name,date,app_version\n";
    const legacy = await fixture(
      "legacy.csv",
      Buffer.from(`${header}W1,ios,4,Tr\xe8s bien,zo\xe9,2024-12-15,3.2.1\n`, "latin1"),
    );
    const forced = await runCli(["ingest", legacy, "--dry-run", "--json", "--encoding", "windows-1252"], { cwd });
    expect(forced.code).toBe(0);
    expect(IngestSummaryJson.parse(JSON.parse(forced.stdout)).totals).toMatchObject({ valid: 1, rejected: 0 });

    const mixed = await fixture(
      "mixed.csv",
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
