import { describe, expect, it } from "vitest";
import { NotFoundError, ValidationError } from "../../../sdk/errors.js";
import { fullUuid, idPrefixDigits, uniqueId, uuidRange } from "../../../sdk/schemas/id-prefix.js";

const ids = { noun: "ticket", listCommand: "feedback-cli tickets list" };

describe("id prefixes", () => {
  it("accepts 6 or more hex digits, with the dashes where a UUID has them, any case", () => {
    expect(idPrefixDigits("D09A12")).toBe("d09a12");
    expect(idPrefixDigits("d09a1262-3f")).toBe("d09a12623f");
    expect(idPrefixDigits("d09a12623f")).toBe("d09a12623f");
  });

  it("refuses fewer than 6 digits, other characters and misplaced dashes", () => {
    expect(idPrefixDigits("d09a1")).toBeNull();
    expect(idPrefixDigits("d09a1x")).toBeNull();
    expect(idPrefixDigits("d09a-1262")).toBeNull();
  });

  it("tells a whole UUID from a prefix", () => {
    expect(fullUuid("ABCDEF12-0000-4000-8000-000000000001")).toBe("abcdef12-0000-4000-8000-000000000001");
    expect(fullUuid("abcdef12")).toBeNull();
  });

  it("covers a prefix by the range of UUIDs it starts", () => {
    expect(uuidRange("abcdef12")).toEqual({
      low: "abcdef12-0000-0000-0000-000000000000",
      high: "abcdef12-ffff-ffff-ffff-ffffffffffff",
    });
  });

  it("names the one candidate, says not found with a hint for none, and lists several", () => {
    expect(uniqueId(ids, "abcdef", ["abcdef12-0000-4000-8000-000000000001"])).toBe(
      "abcdef12-0000-4000-8000-000000000001",
    );
    expect(() => uniqueId(ids, "abcdef", [])).toThrow(NotFoundError);
    expect(() => uniqueId(ids, "abcdef", [])).toThrow(/No ticket with id abcdef/);
    expect(() => uniqueId(ids, "abcdef", ["abcdef1", "abcdef2"])).toThrow(ValidationError);
    expect(() => uniqueId(ids, "abcdef", ["abcdef1", "abcdef2"])).toThrow(/ambiguous.*abcdef1, abcdef2/);
  });
});
