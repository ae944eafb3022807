import { describe, expect, it } from "vitest";
import type { RetriageChange, RetriageSummary } from "../../../app/tickets/retriage.js";
import { retriageText } from "../../../cli/presenters/tickets-presenter.js";

const change = (changes: RetriageChange["changes"], keptManual: RetriageChange["keptManual"] = []): RetriageChange => ({
  id: "7f1c0c3e-4a0e-4f57-9a55-0d7f2b8f7a10",
  sourceId: "R001",
  changes,
  keptManual,
  confidence: { before: 0.95, after: 0.82 },
  reason: "re-triage (offline crew): confidence 0.95 -> 0.82",
});

const summary = (changes: RetriageChange[]): RetriageSummary => ({
  agents: "offline",
  dryRun: false,
  matched: changes.length,
  changed: changes.length,
  unchanged: 0,
  skipped: [],
  keptManual: changes.filter((c) => c.keptManual.length).length,
  transitions: {},
  changes,
  more: false,
});

describe("the tickets retriage summary", () => {
  it("shows a change of confidence alone with its old and new value", () => {
    const text = retriageText(summary([change({ confidence: [0.95, 0.82] })]));
    expect(text).toContain("R001): confidence 0.95 -> 0.82");
  });

  it("lists the values of category and confidence first, then the other changed fields by name", () => {
    const text = retriageText(
      summary([
        change({
          title: ["Old", "New title"],
          category: ["Complaint", "Feature Request"],
          confidence: [0.95, 0.82],
          reviewReasons: [[], ["low confidence"]],
        }),
      ]),
    );
    expect(text).toContain(
      "R001): category Complaint -> Feature Request, confidence 0.95 -> 0.82, title, reviewReasons",
    );
  });

  it("names the fields kept because a person set them", () => {
    const text = retriageText(summary([change({ confidence: [0.95, 0.82] }, ["category"])]));
    expect(text).toContain("confidence 0.95 -> 0.82; kept manual category");
  });
});
