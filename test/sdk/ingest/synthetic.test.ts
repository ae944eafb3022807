import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateReviews, writeSyntheticReviewsCsv } from "../../../sdk/ingest/synthetic.js";
import { parse, tempFileWriter } from "./helpers.js";

const write = tempFileWriter();

describe("synthetic reviews", () => {
  it("is deterministic for a seed and varies across seeds", () => {
    const first = [...generateReviews(50, 7)];
    expect([...generateReviews(50, 7)]).toEqual(first);
    expect([...generateReviews(50, 8)]).not.toEqual(first);
    expect(new Set(first.map((r) => r.expectedCategory))).toEqual(
      new Set(["Bug", "Feature Request", "Praise", "Complaint", "Spam"]),
    );
  });

  it("writes a CSV that parses cleanly, quoting included", async () => {
    const file = write("synthetic.csv", "");
    await writeSyntheticReviewsCsv(file, 3000, 11, { includeExpectedCategory: true });
    const content = readFileSync(file, "utf8");
    expect(content).toContain('""'); // some texts hold quotes
    expect(content).toMatch(/"Steps to reproduce:\n1\./); // and line breaks
    const { items, errors, summary } = await parse(file);
    expect(errors).toEqual([]);
    expect(summary).toMatchObject({ read: 3000, valid: 3000, layout: "app-reviews" });
    expect(items[0]!.item.metadata.expected_category).toBeDefined();
    expect(new Set(items.map(({ item }) => item.platform))).toEqual(new Set(["ios", "android"]));
  });
});
