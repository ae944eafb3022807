import { describe, expect, it } from "vitest";
import { logFormatFor } from "../../sdk/log.js";

describe("the log format an entry point picks", () => {
  it("is human lines on a terminal", () => {
    expect(logFormatFor({ isTTY: true })).toBe("human");
  });

  it("is JSON when the output is piped", () => {
    expect(logFormatFor({ isTTY: false })).toBe("json");
    expect(logFormatFor({})).toBe("json");
  });

  it("is JSON in CI, even on a terminal", () => {
    expect(logFormatFor({ isTTY: true }, true)).toBe("json");
  });
});
