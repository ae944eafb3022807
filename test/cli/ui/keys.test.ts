import { describe, expect, it } from "vitest";
import { age, editText, typedText, visibleWindow } from "../../../cli/ui/keys.js";

describe("visibleWindow", () => {
  it("shows the whole list when it fits", () => {
    expect(visibleWindow(5, 4, 10)).toEqual({ start: 0, end: 5 });
  });

  it("keeps the cursor in the middle of a longer list, and the window inside the list", () => {
    expect(visibleWindow(100, 50, 10)).toEqual({ start: 45, end: 55 });
    expect(visibleWindow(100, 1, 10)).toEqual({ start: 0, end: 10 });
    expect(visibleWindow(100, 99, 10)).toEqual({ start: 90, end: 100 });
  });
});

describe("text fields", () => {
  it("types printable characters and drops control keys and Ctrl chords", () => {
    expect(typedText({ input: "é" })).toBe("é");
    expect(typedText({ input: "c", ctrl: true })).toBe("");
    expect(typedText({ input: "\r", return: true })).toBe("");
  });

  it("removes one character (not one UTF-16 unit) with Backspace", () => {
    expect(editText("ab😀", { input: "", backspace: true })).toBe("ab");
  });
});

describe("age", () => {
  const now = new Date("2026-12-06T12:00:00Z");
  it("says how long ago in the largest whole unit", () => {
    expect(age(new Date("2026-12-06T11:59:18Z"), now)).toBe("42s");
    expect(age(new Date("2026-12-06T11:55:00Z"), now)).toBe("5m");
    expect(age(new Date("2026-12-06T09:00:00Z"), now)).toBe("3h");
    expect(age(new Date("2026-12-04T12:00:00Z"), now)).toBe("2d");
  });
});
