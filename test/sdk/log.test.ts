import { describe, expect, it } from "vitest";
import { humanLine } from "../../sdk/log.js";

const TIME = "2026-12-06T12:00:01.123Z";

describe("log lines for a person at a terminal", () => {
  it("read as time, level, event and key=value pairs", () => {
    expect(humanLine(TIME, "info", "webhook.accepted", { channel: "zendesk", status: 202 })).toBe(
      "12:00:01 INFO  webhook.accepted channel=zendesk status=202",
    );
  });

  it("quote values with spaces, and show objects as JSON", () => {
    expect(humanLine(TIME, "warn", "webhook.rejected", { reason: "bad signature", ids: ["a", "b"] })).toBe(
      '12:00:01 WARN  webhook.rejected reason="bad signature" ids="[\\"a\\",\\"b\\"]"',
    );
  });

  it("leave out empty values and keep one line whatever the text holds", () => {
    expect(humanLine(TIME, "error", "x", { a: null, b: undefined, c: "two\nlines" })).toBe(
      '12:00:01 ERROR x c="two\\nlines"',
    );
  });
});
