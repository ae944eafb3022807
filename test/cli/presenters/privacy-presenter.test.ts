import { describe, expect, it } from "vitest";
import type { ErasureResult } from "../../../app/privacy/erase-service.js";
import { erasureHistoryText, erasureText } from "../../../cli/presenters/privacy-presenter.js";
import { noErasureCounts } from "../../../sdk/ports/personal-data.js";

const NONE = noErasureCounts();
const result = (overrides: Partial<ErasureResult>): ErasureResult => ({
  requestId: "7d1b6a0e-3c1f-4a57-9d8e-0b1f2a3c4d5e",
  dryRun: false,
  subjectKind: "email",
  found: true,
  counts: NONE,
  tickets: [],
  notSearched: [],
  audit: { actor: "dpo", erasedAt: "2026-12-06T21:00:00.000Z", subjectHash: "a".repeat(64) },
  ...overrides,
});

describe("privacy presenter", () => {
  it("lists the kinds changed with their counts, each ticket touched and the audit entry", () => {
    const text = erasureText(
      result({
        counts: { ...NONE, feedbackItems: 1, tickets: 2 },
        tickets: [
          { id: "11111111-1111-4111-8111-111111111111", scope: "item" },
          { id: "22222222-2222-4222-8222-222222222222", scope: "mention" },
        ],
      }),
    );
    expect(text).toMatch(/^Erased:\n {2}feedback items \(theirs\) +1\n {2}tickets +2\n/);
    expect(text).not.toMatch(/processing logs/);
    expect(text).toContain("11111111-1111-4111-8111-111111111111  made from their feedback");
    expect(text).toContain("22222222-2222-4222-8222-222222222222  quoted them");
    expect(text).toMatch(/Recorded as erasure request 7d1b6a0e-.* by dpo/);
  });

  it("says a dry run that finds nothing would change nothing, and records nothing", () => {
    expect(erasureText(result({ found: false, dryRun: true, audit: null, subjectKind: "name" }))).toBe(
      "Nothing found for this name: nothing would change.",
    );
  });

  it("says when no erasure is recorded", () => {
    expect(erasureHistoryText([])).toBe("No erasure recorded.");
  });
});
