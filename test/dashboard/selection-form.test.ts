import { describe, expect, it } from "vitest";
import { selectionFromForm, selectionNotice, selectionNoticeParams } from "../../dashboard/server/selection-form.js";

const noticeOf = (params: Record<string, string>) => selectionNotice((key) => params[key]);

describe("the bulk bar's form", () => {
  it("asks for the action on every ticked ticket, once each value", () => {
    expect(selectionFromForm({ ids: ["a1", "b2"], action: "reject", priority: "High" })).toEqual({
      action: "reject",
      ids: ["a1", "b2"],
    });
  });

  it("takes the priority chosen beside the button for a priority change", () => {
    expect(selectionFromForm({ ids: "a1", action: "priority", priority: "Critical" })).toMatchObject({
      ids: ["a1"],
      priority: "Critical",
    });
  });

  it("asks for nothing when no ticket is ticked", () => {
    expect(selectionFromForm({ action: "approve" })).toBeNull();
  });

  it("refuses an action the JSON route refuses", () => {
    expect(() => selectionFromForm({ ids: "a1", action: "close" })).toThrow();
  });
});

describe("the notice after the bulk bar's form", () => {
  it("says how many ticked tickets changed and how many failed", () => {
    const done = {
      request: { action: "reject" as const, ids: ["a1", "b2"] },
      result: {
        action: "reject" as const,
        updated: 1,
        results: [
          { id: "a1", ok: true, message: null, status: "rejected" as const, priority: null },
          { id: "b2", ok: false, message: "gone", status: null, priority: null },
        ],
      },
    };
    expect(noticeOf(selectionNoticeParams(done))).toBe(
      "1 ticked ticket(s) rejected, 1 failed (changed meanwhile or gone).",
    );
  });

  it("names the priority set, and never echoes one that is not a priority", () => {
    expect(noticeOf({ notice: "selection", action: "priority", priority: "Low", n: "3", f: "0" })).toBe(
      "3 ticked ticket(s) priority set to Low.",
    );
    expect(noticeOf({ notice: "selection", action: "priority", priority: "<b>x</b>", n: "1" })).toContain("to ?");
  });

  it("says that nothing was ticked", () => {
    expect(noticeOf(selectionNoticeParams(null))).toMatch(/No ticket was ticked/);
  });
});
