import { describe, expect, it } from "vitest";
import { email, review, seededConfig, triage } from "./factories.js";

describe("quality critic", () => {
  it("passes a complete bug report", async () => {
    const r = await triage(
      review("The app crashes when I open the camera tab. iPhone 12, iOS 16.4.", 2, {
        appVersion: "2.1.0",
        device: "iPhone 12",
      }),
    );
    expect(r.qualityScore).toBeGreaterThanOrEqual(8);
    expect(r.status).toBe("open");
    expect(r.reviewReasons).toEqual([]);
  });

  it("sends a bug without device, OS, version or feature to needs_review with reasons", async () => {
    const r = await triage(email("Problem", "It's broken."));
    expect(r.category).toBe("Bug");
    expect(r.qualityScore).toBeLessThan(6);
    expect(r.status).toBe("needs_review");
    expect(r.reviewReasons).toEqual(
      expect.arrayContaining([
        "bug without device, OS or platform",
        "bug without app version",
        "very little text to act on",
      ]),
    );
  });

  it("deducts for missing details without failing an otherwise clear bug", async () => {
    const r = await triage(
      email(
        "Export button does nothing",
        "When I click the export button on the reports page nothing happens. Tried twice today.",
      ),
    );
    expect(r.category).toBe("Bug");
    expect(r.qualityScore).toBeGreaterThanOrEqual(6);
    expect(r.qualityScore).toBeLessThan(10);
  });

  it("flags a praise ticket that a custom rule made urgent", async () => {
    const config = seededConfig();
    config.priorityRules.rules.unshift({ name: "odd", category: "Praise", priority: "Critical", keywords: ["love"] });
    const r = await triage(review("I love this app, thank you", 5), config);
    expect(r.priority).toBe("Critical");
    expect(JSON.stringify(r.logs)).toContain("Praise with priority Critical is unusual");
  });

  it("sends a feature request without a recognisable capability and little text to review", async () => {
    const r = await triage(review("more pls", 4));
    expect(r.status).toBe("needs_review");
    expect(r.reviewReasons.length).toBeGreaterThan(0);
  });
});
