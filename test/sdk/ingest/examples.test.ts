import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, repoRoot } from "./helpers.js";

describe("examples shipped for the README", () => {
  it("app_store_reviews.csv parses without errors", async () => {
    const { items, errors, summary } = await parse(path.join(repoRoot, "examples/app_store_reviews.csv"));
    expect(errors).toEqual([]);
    expect(summary).toMatchObject({ layout: "app-reviews", valid: 40 });
    expect(items.find(({ item }) => item.sourceId === "AR-1036")?.line).toBe(37);
    expect(new Set(items.map(({ item }) => item.channel))).toEqual(new Set(["app_store", "google_play"]));
  });

  it("support_emails.csv parses without errors", async () => {
    const { items, errors, summary } = await parse(path.join(repoRoot, "examples/support_emails.csv"));
    expect(errors).toEqual([]);
    expect(summary).toMatchObject({ layout: "support-emails", valid: 20 });
    expect(items.map(({ item }) => item.statedPriority)).toContain("Urgent");
  });
});
