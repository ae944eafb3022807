import { describe, expect, it } from "vitest";
import { confirmText, reviewText } from "../../../cli/presenters/ticket-actions-presenter.js";

const ticket = (n: number) => ({
  id: `${n}bcdef12-0000-4000-8000-00000000000${n}`,
  title: `Crash number ${n}\u001b[31m`,
  status: "needs_review" as const,
});

describe("the ticket actions presenter", () => {
  it("asks with how many tickets match and a few titles, control characters removed", () => {
    const text = confirmText("approve", { total: 12, totalCapped: false, sample: [ticket(1), ticket(2)], limit: 1000 });
    expect(text.split("\n")).toEqual([
      "Approve 12 tickets?",
      "  1bcdef12  needs_review Crash number 1[31m",
      "  2bcdef12  needs_review Crash number 2[31m",
      "  ... and 10 more",
    ]);
  });

  it("says a match above the limit changes in several runs", () => {
    const text = confirmText("reject", { total: 10_000, totalCapped: true, sample: [ticket(1)], limit: 1000 });
    expect(text).toMatch(/^Reject 10000\+ tickets\?/);
    expect(text).toMatch(/At most 1000 change in one run/);
  });

  it("reports each failure and that more tickets match", () => {
    const text = reviewText({
      action: "reject",
      matched: 2,
      updated: 1,
      failed: [{ id: "x", message: "Ticket x changed since version 1 (now 2)" }],
      more: true,
    });
    expect(text).toBe(
      "1 of 2 tickets rejected.\n  failed x: Ticket x changed since version 1 (now 2)\nMore tickets match than one run handles: run it again.",
    );
  });
});
