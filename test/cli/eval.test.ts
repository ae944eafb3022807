import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EvaluationReport, PlainEvaluationReport } from "../../sdk/schemas/evaluation.js";
import { repoRoot, runCli, sampleDir } from "../support/cli.js";
import { createTestDatabase, testBackend } from "../support/database.js";

describe("feedback-cli eval", () => {
  it("meets the accuracy bar on the labelled sample: category >= 95%, priority >= 85%", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "ft-eval-"));
    const db = testBackend === "postgres" ? await createTestDatabase() : null;
    try {
      const result = await runCli(["eval", path.join(sampleDir, "expected_classifications.csv"), "--json"], {
        cwd,
        env: db?.url ? { DATABASE_URL: db.url } : {},
      });
      expect(result.stderr).toBe("");
      const report = EvaluationReport.parse(JSON.parse(result.stdout));
      expect(report.evaluated).toBe(50);
      expect(report.missing).toEqual([]);
      expect(report.categoryAccuracy).toBeGreaterThanOrEqual(0.95);
      expect(report.priorityAccuracy).toBeGreaterThanOrEqual(0.85);
      expect(report.categoryConfusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(50);
    } finally {
      await db?.close();
    }
  });

  it("says how to fix a missing source file", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "ft-eval-"));
    const result = await runCli(
      ["eval", path.join(sampleDir, "expected_classifications.csv"), "--reviews", "nope.csv"],
      { cwd },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/nope\.csv does not exist/);
  });
});

describe("feedback-cli eval on a plain labelled file (id, text, optional rating, label)", () => {
  it("reports per-class precision/recall/F1 and a reliability table as bug / feature / other", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "ft-eval-"));
    const file = path.join(repoRoot, "test/sdk/eval/fixtures/plain-labelled.csv");
    const json = await runCli(["eval", file, "--json"], { cwd });
    expect(json.stderr).toBe("");
    const report = PlainEvaluationReport.parse(JSON.parse(json.stdout));
    expect(report.evaluated).toBe(8);
    expect(report.comparedAs).toBe("coarse");
    expect(report.perClass.map((c) => c.label)).toEqual(["bug", "feature", "other"]);
    const text = await runCli(["eval", file], { cwd });
    expect(text.stdout).toMatch(/Reliability \(confidence bucket -> observed accuracy\)/);
    expect(text.stdout).toMatch(/compared as bug \/ feature \/ other/);
  });
});
