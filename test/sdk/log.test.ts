import { describe, expect, it, vi } from "vitest";
import { createLog, humanLine } from "../../sdk/log.js";

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

describe("where log lines go", () => {
  function captured(run: () => void): { stdout: string; stderr: string } {
    const out = { stdout: "", stderr: "" };
    const spies = (["stdout", "stderr"] as const).map((name) =>
      vi.spyOn(process[name], "write").mockImplementation((chunk: string | Uint8Array) => {
        out[name] += String(chunk);
        return true;
      }),
    );
    try {
      run();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    return out;
  }

  it("info to stdout and warnings to stderr by default", () => {
    const out = captured(() => {
      const log = createLog("debug");
      log("info", "a");
      log("warn", "b");
    });
    expect(out.stdout).toMatch(/"event":"a"/);
    expect(out.stderr).toMatch(/"event":"b"/);
  });

  it("everything to stderr where stdout carries a command's result", () => {
    const out = captured(() => createLog("debug", "json", "stderr")("debug", "worker.batch", { created: 3 }));
    expect(out.stdout).toBe("");
    expect(JSON.parse(out.stderr)).toMatchObject({ level: "debug", event: "worker.batch", created: 3 });
  });

  it("nothing below the threshold", () => {
    const out = captured(() => createLog("info", "json", "stderr")("debug", "worker.batch"));
    expect(out).toEqual({ stdout: "", stderr: "" });
  });
});
