import { describe, expect, it } from "vitest";
import { APP_REVIEWS, labelsFor, SUPPORT_EMAILS } from "../../../sdk/ingest/layouts.js";
import { type NormalizeContext, normalizeRow } from "../../../sdk/ingest/normalize.js";
import { FeedbackItem } from "../../../sdk/schemas/feedback.js";

const reviews: NormalizeContext = {
  kind: "review",
  sourceType: "app_store_review",
  labels: labelsFor(APP_REVIEWS, {}),
};
const emails: NormalizeContext = { kind: "email", sourceType: "email", labels: labelsFor(SUPPORT_EMAILS, {}) };
const review = (values: Record<string, unknown>) => normalizeRow({ values, metadata: {} }, reviews);

describe("the row schema", () => {
  it("turns a valid review row into a FeedbackItem", () => {
    const result = review({ id: "R1", text: " Crashes on start \r\n", rating: "1 star", date: "2026-03-01" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(FeedbackItem.parse(result.item)).toEqual(result.item);
    expect(result.item).toMatchObject({ sourceId: "R1", text: "Crashes on start", rating: 1 });
  });

  it("rejects a nested value with the field, a message and a hint", () => {
    expect(review({ id: "R2", text: "fine", rating: 5, author: { name: "x" } })).toEqual({
      ok: false,
      recordId: "R2",
      problem: {
        field: "user_name",
        message: "user_name must be text, not an object",
        hint: 'Put a plain value in "user_name"; nested data belongs in extra fields, which are kept as metadata.',
      },
    });
    expect(review({ text: ["a"], rating: 5 })).toMatchObject({
      ok: false,
      problem: { field: "review_text", message: "review_text must be text, not a list" },
    });
  });

  it("reports the first failing field in column order", () => {
    expect(review({ text: "", rating: "nine" })).toMatchObject({
      ok: false,
      problem: { field: "review_text", message: "review_text is empty" },
    });
  });

  it("checks the item's length limits after the fields, naming the column", () => {
    expect(review({ text: "ok", rating: 4, author: "a".repeat(1000) })).toMatchObject({
      ok: false,
      problem: {
        field: "user_name",
        message: expect.stringMatching(/^user_name is 1000 characters long; the limit is \d+$/),
      },
    });
  });

  it("reads a blank rating as no rating and keeps the review", () => {
    for (const rating of ["", "  ", null, undefined])
      expect(review({ id: "R3", text: "Love the dark mode", rating })).toMatchObject({
        ok: true,
        item: { rating: null },
      });
  });

  it("reads a rating written as a decimal (4.0) as the whole number", () => {
    expect(review({ id: "R4", text: "Good", rating: "4.0" })).toMatchObject({ ok: true, item: { rating: 4 } });
  });

  it("still rejects a rating that is not 1 to 5", () => {
    expect(review({ id: "R5", text: "Good", rating: "4.5" })).toMatchObject({
      ok: false,
      problem: { field: "rating", message: 'rating must be a whole number from 1 to 5, not "4.5"' },
    });
  });

  it("ignores the rating of an e-mail", () => {
    const result = normalizeRow({ values: { text: "hello", rating: "bogus" }, metadata: {} }, emails);
    expect(result).toMatchObject({ ok: true, item: { rating: null, channel: "email" } });
  });
});
