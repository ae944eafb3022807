import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../sdk/errors.js";
import { compileEventPattern, matchesEventPattern } from "../../../sdk/local/event-pattern.js";

const event = {
  id: "e-1",
  source: "feedback.files",
  "detail-type": "FeedbackReceived",
  detail: {
    item: { sourceType: "email", rating: 2, channel: null, tags: ["ios", "beta"], subject: "App crash report" },
  },
};

describe("EventBridge pattern subset", () => {
  it.each([
    ["the seeded rule", { source: [{ prefix: "feedback." }], "detail-type": ["FeedbackReceived"] }, true],
    ["exact value among alternatives", { "detail-type": ["Other", "FeedbackReceived"] }, true],
    ["exact value mismatch", { "detail-type": ["Other"] }, false],
    ["prefix mismatch", { source: [{ prefix: "billing." }] }, false],
    ["suffix", { source: [{ suffix: ".files" }] }, true],
    ["nested detail field", { detail: { item: { sourceType: ["email"] } } }, true],
    ["nested detail mismatch", { detail: { item: { sourceType: ["webhook"] } } }, false],
    ["nested into a non-object", { source: { inner: ["x"] } }, false],
    ["number", { detail: { item: { rating: [1, 2] } } }, true],
    ["number is not its string", { detail: { item: { rating: ["2"] } } }, false],
    ["null", { detail: { item: { channel: [null] } } }, true],
    [
      "anything-but list",
      { detail: { item: { sourceType: [{ "anything-but": ["webhook", "app_store_review"] }] } } },
      true,
    ],
    ["anything-but list excluded", { detail: { item: { sourceType: [{ "anything-but": ["email"] }] } } }, false],
    ["anything-but single value", { detail: { item: { sourceType: [{ "anything-but": "email" }] } } }, false],
    ["anything-but prefix", { source: [{ "anything-but": { prefix: "billing." } }] }, true],
    ["anything-but needs the field", { detail: { item: { missing: [{ "anything-but": "x" }] } } }, false],
    ["exists true", { detail: { item: { rating: [{ exists: true }] } } }, true],
    ["exists true on null", { detail: { item: { channel: [{ exists: true }] } } }, true],
    ["exists false on a missing field", { detail: { item: { language: [{ exists: false }] } } }, true],
    ["exists false on a present field", { detail: { item: { rating: [{ exists: false }] } } }, false],
    ["array value: any element", { detail: { item: { tags: ["beta"] } } }, true],
    ["array value: no element", { detail: { item: { tags: ["android"] } } }, false],
    ["numeric range", { detail: { item: { rating: [{ numeric: [">", 1, "<=", 2] }] } } }, true],
    ["numeric range miss", { detail: { item: { rating: [{ numeric: [">=", 3] }] } } }, false],
    ["equals-ignore-case", { "detail-type": [{ "equals-ignore-case": "feedbackreceived" }] }, true],
    ["wildcard", { detail: { item: { subject: [{ wildcard: "*crash*" }] } } }, true],
    ["every field must match", { source: [{ prefix: "feedback." }], "detail-type": ["Other"] }, false],
    ["$or", { $or: [{ source: ["x"] }, { detail: { item: { rating: [2] } } }] }, true],
    ["inherited property is not a field", { constructor: [{ exists: true }] }, false],
  ])("%s", (_label, pattern, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });

  it.each([
    ["a non-object pattern", ["x"]],
    ["an empty pattern", {}],
    ["a scalar leaf", { source: "feedback.files" }],
    ["an empty alternatives list", { source: [] }],
    ["an unknown matcher", { source: [{ regex: "f.*" }] }],
    ["a matcher with two keys", { source: [{ prefix: "a", suffix: "b" }] }],
    ["a non-boolean exists", { source: [{ exists: "yes" }] }],
    ["a bad numeric condition", { rating: [{ numeric: ["~", 1] }] }],
    ["a one-branch $or", { $or: [{ source: ["x"] }] }],
  ])("rejects %s with ValidationError", (_label, pattern) => {
    expect(() => compileEventPattern(pattern)).toThrow(ValidationError);
  });

  it("names the offending field", () => {
    expect(() => compileEventPattern({ detail: { item: { rating: [{ between: [1, 2] }] } } })).toThrow(
      /detail\.item\.rating\[0\].*unsupported matcher "between"/,
    );
  });
});
