import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SEEDED_CONFIGURATION } from "../../../app/agents/offline/dataset.js";
import { createOfflineAgents } from "../../../app/agents/offline/index.js";
import { ValidationError } from "../../../sdk/errors.js";
import { evaluatePlain } from "../../../sdk/eval/evaluate.js";
import { isPlainLabelledFile, readPlainLabelled } from "../../../sdk/eval/plain-labelled.js";
import { PlainEvaluationReport } from "../../../sdk/schemas/evaluation.js";
import { writeTempFile } from "../../support/factories.js";

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/plain-labelled.csv");

const file = (content: string) => writeTempFile("labelled.csv", content);

describe("plain labelled file (id, text, optional rating, label)", () => {
  it("reads coarse labels and categories, with and without a rating", async () => {
    expect(await isPlainLabelledFile(FIXTURE)).toBe(true);
    const { items, labels } = await readPlainLabelled(FIXTURE);
    expect(items).toHaveLength(8);
    expect(items[0]).toMatchObject({ sourceId: "p1", rating: 1, sourceType: "app_store_review" });
    expect(items[2]!.rating).toBeNull();
    // "bug" is a coarse label and a category alike; feature / other are coarse only
    expect(labels.map((l) => [l.label, l.coarse])).toEqual([
      ["Bug", false],
      ["feature", true],
      ["feature", true],
      ["other", true],
      ["Complaint", false],
      ["Bug", false],
      ["Praise", false],
      ["Feature Request", false],
    ]);
  });

  it("names the line and field of a bad label or rating", async () => {
    await expect(readPlainLabelled(await file("id,text,label\na,hello,maybe\n"))).rejects.toThrow(
      /line 2, field 'label': 'maybe' is not a label/,
    );
    await expect(readPlainLabelled(await file("id,text,rating,label\na,hello,9,bug\n"))).rejects.toThrow(
      ValidationError,
    );
    expect(await isPlainLabelledFile(await file("record_id,expected_category,expected_priority\n"))).toBe(false);
  });

  it("is compared as bug / feature / other, with per-class figures and a reliability table", async () => {
    const { items, labels } = await readPlainLabelled(FIXTURE);
    const report = PlainEvaluationReport.parse(
      await evaluatePlain(createOfflineAgents(), SEEDED_CONFIGURATION, items, labels),
    );
    expect(report.comparedAs).toBe("coarse");
    expect(report.evaluated).toBe(8);
    expect(report.perClass.map((c) => c.label)).toEqual(["bug", "feature", "other"]);
    expect(report.perClass.map((c) => c.support)).toEqual([2, 3, 3]);
    expect(report.reliability.reduce((n, b) => n + b.n, 0)).toBe(8);
    expect(report.confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(8);
    expect(report.priorityAccuracy).toBeNull();
    const wrong = report.mistakes.length;
    expect(report.accuracy).toBeCloseTo((8 - wrong) / 8);
  });

  it("is compared on the five categories when every label is a category", async () => {
    const f = await file(
      "id,text,label,priority\na,The app crashes when I open settings.,Bug,High\nb,Love it!,Praise,Low\n",
    );
    const { items, labels } = await readPlainLabelled(f);
    const report = await evaluatePlain(createOfflineAgents(), SEEDED_CONFIGURATION, items, labels);
    expect(report.comparedAs).toBe("category");
    expect(report.priorityEvaluated).toBe(2);
    expect(report.perClass.map((c) => c.label)).toContain("Bug");
  });
});
