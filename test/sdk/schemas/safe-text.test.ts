import { describe, expect, it } from "vitest";
import { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import { describeValueFault, findTextFault, findValueFault, METADATA_LIMITS } from "../../../sdk/schemas/safe-text.js";

const item = (overrides: Record<string, unknown> = {}) => ({
  sourceType: "webhook",
  sourceId: "d-1",
  text: "The app crashes on launch",
  contentHash: "a".repeat(64),
  ...overrides,
});

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

describe("findTextFault", () => {
  it("finds a NUL character and where it is", () => {
    expect(findTextFault("ab\u0000c")).toEqual({ kind: "nul", index: 2 });
  });

  it("finds a lone high or low surrogate", () => {
    expect(findTextFault("x\ud800")).toEqual({ kind: "lone-surrogate", index: 1 });
    expect(findTextFault("\udc00y")).toEqual({ kind: "lone-surrogate", index: 0 });
  });

  it("accepts emoji (surrogate pairs) and the U+FFFD replacement character", () => {
    expect(findTextFault("love it 😀 but caf\uFFFD")).toBeNull();
  });
});

describe("findValueFault", () => {
  it("names the path of a NUL inside nested metadata, keys included", () => {
    expect(findValueFault({ a: { list: ["ok", "b\u0000"] } })).toMatchObject({ kind: "nul", path: "a.list.1" });
    expect(findValueFault({ "k\u0000": 1 })).toMatchObject({ kind: "nul", path: "k\u0000" });
  });

  it("refuses nesting beyond the depth limit without overflowing the stack", () => {
    const fault = findValueFault(nested(100_000));
    expect(fault).toMatchObject({ kind: "too-deep", maxDepth: METADATA_LIMITS.maxDepth });
    expect(findValueFault(nested(METADATA_LIMITS.maxDepth - 2))).toBeNull();
  });

  it("refuses metadata larger than the size limit", () => {
    const fault = findValueFault({ blob: "x".repeat(METADATA_LIMITS.maxJsonChars) });
    expect(fault?.kind).toBe("too-large");
    expect(describeValueFault(fault!)).toMatch(/over the limit of 65,536/);
  });
});

describe("FeedbackItem", () => {
  it("rejects a NUL in the text with an issue on that field", () => {
    const result = FeedbackItem.safeParse(item({ text: "crash\u0000" }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["text"]);
    expect(result.error?.issues[0]?.message).toMatch(/NUL character/);
  });

  it("rejects a lone surrogate in the author", () => {
    const result = FeedbackItem.safeParse(item({ author: "Ana \ud800" }));
    expect(result.error?.issues[0]?.path).toEqual(["author"]);
  });

  it("rejects metadata nested deeper than the limit", () => {
    const result = FeedbackItem.safeParse(item({ metadata: nested(50) }));
    expect(result.error?.issues[0]?.message).toMatch(/nested more than 20 levels/);
  });

  it("keeps text holding U+FFFD as written", () => {
    expect(FeedbackItem.parse(item({ text: "caf\uFFFD crashes" })).text).toBe("caf\uFFFD crashes");
  });
});
