import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../sdk/errors.js";
import { readExpectedLabels } from "../../../sdk/eval/expected-labels.js";

async function file(content: string) {
  const dir = await mkdtemp(path.join(tmpdir(), "ft-labels-"));
  const f = path.join(dir, "expected.csv");
  await writeFile(f, content);
  return f;
}

describe("expected labels", () => {
  it("reads the record_id / expected_category / expected_priority layout", async () => {
    const labels = await readExpectedLabels(
      await file("record_id,expected_category,expected_priority\nR1,Bug,Critical\nE2,feature request,low\n"),
    );
    expect(labels).toEqual([
      { id: "R1", sourceType: null, category: "Bug", priority: "Critical" },
      { id: "E2", sourceType: null, category: "Feature Request", priority: "Low" },
    ]);
  });

  it("reads the source_id / source_type / category / priority layout with extra columns", async () => {
    const labels = await readExpectedLabels(
      await file(
        'source_id,source_type,category,priority,technical_details,suggested_title\nR1,app_store_review,Praise,Low,"{}",Nice\n',
      ),
    );
    expect(labels).toEqual([{ id: "R1", sourceType: "app_store_review", category: "Praise", priority: "Low" }]);
  });

  it("names the line and field of an unknown category", async () => {
    const f = await file("record_id,expected_category,expected_priority\nR1,Bug,High\nR2,Question,Low\n");
    await expect(readExpectedLabels(f)).rejects.toThrow(
      /line 3, field 'expected_category': 'Question' is not a category/,
    );
  });

  it("rejects a file that is not an expected-labels file, listing the layouts it takes", async () => {
    const f = await file("review_id,review_text\nR1,hello\n");
    await expect(readExpectedLabels(f)).rejects.toBeInstanceOf(ValidationError);
    await expect(readExpectedLabels(f)).rejects.toThrow(/not an expected-labels file/);
  });
});
