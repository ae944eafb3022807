import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import {
  confirmQuestion,
  filteredLetters,
  initialPicker,
  letterRow,
  type PickerState,
  pickerFinished,
  pickerReducer,
  targetIds,
} from "../../../cli/ui/dlq-picker-state.js";
import type { KeyPress } from "../../../cli/ui/keys.js";
import { letter } from "./dead-letter-fixture.js";

const press = (state: PickerState, ...keys: (string | Omit<KeyPress, "input">)[]) =>
  keys.reduce<PickerState>(
    (current, key) => pickerReducer(current, typeof key === "string" ? { input: key } : { input: "", ...key }),
    state,
  );

const three = () => initialPicker([letter(1), letter(2), letter(3)]);

describe("DLQ picker: moving", () => {
  it("moves down with j and the down arrow, up with k and the up arrow, never past either end", () => {
    expect(press(three(), "j", { downArrow: true }).cursor).toBe(2);
    expect(press(three(), "j", "j", "j", "j").cursor).toBe(2);
    expect(press(three(), "j", "j", "k", { upArrow: true }, "k").cursor).toBe(0);
  });

  it("leaves with q or Esc", () => {
    expect(press(three(), "q").quit).toBe(true);
    expect(press(three(), { escape: true }).quit).toBe(true);
  });

  it("leaves on Ctrl-C from any view, marked interrupted (the command exits 130)", () => {
    const ctrlC = { input: "c", ctrl: true };
    for (const state of [three(), press(three(), "/"), press(three(), { return: true })]) {
      expect(pickerReducer(state, ctrlC)).toMatchObject({ quit: true, interrupted: true });
    }
  });

  it("lets a replay under way finish on Ctrl-C, then leaves interrupted", () => {
    const busy = press(three(), { return: true }, "y");
    const asked = pickerReducer(busy, { input: "c", ctrl: true });
    expect(asked).toMatchObject({ mode: "busy", quit: false, interrupted: true });
    const done = pickerFinished(asked, "replay", { done: [letter(1).messageId], notFound: [] });
    expect(done).toMatchObject({ mode: "done", quit: true, interrupted: true });
  });
});

describe("DLQ picker: selecting", () => {
  it("toggles the letter under the cursor with space", () => {
    const state = press(three(), "j", " ");
    expect([...state.selected]).toEqual([letter(2).messageId]);
    expect(press(state, " ").selected.size).toBe(0);
  });

  it("selects every shown letter with a, and clears them with a second a", () => {
    expect(press(three(), "a").selected.size).toBe(3);
    expect(press(three(), "a", "a").selected.size).toBe(0);
  });

  it("acts on the selection, in list order, else on the letter under the cursor", () => {
    expect(targetIds(press(three(), "j", "j", " ", "k", "k", " "))).toEqual([letter(1).messageId, letter(3).messageId]);
    expect(targetIds(press(three(), "j"))).toEqual([letter(2).messageId]);
  });
});

describe("DLQ picker: filtering", () => {
  it("types a filter after / and keeps the letters whose id, source, error or preview contain it", () => {
    const state = press(three(), "/", ..."number 2");
    expect(state.mode).toBe("filter");
    expect(filteredLetters(state).map((l) => l.sourceId)).toEqual(["review-2"]);
  });

  it("ignores case, and matches the body preview", () => {
    expect(filteredLetters({ ...three(), filter: "CRASHED 3" }).map((l) => l.sourceId)).toEqual(["review-3"]);
  });

  it("keeps the filter on Enter and clears it on Esc", () => {
    expect(press(three(), "/", "3", { return: true })).toMatchObject({ mode: "browse", filter: "3" });
    expect(press(three(), "/", "3", { escape: true })).toMatchObject({ mode: "browse", filter: "" });
  });

  it("removes the last character with Backspace", () => {
    expect(press(three(), "/", "a", "b", { backspace: true }).filter).toBe("a");
  });

  it("selects only the filtered letters with a", () => {
    const state = press(three(), "/", "2", { return: true }, "a");
    expect([...state.selected]).toEqual([letter(2).messageId]);
  });
});

describe("DLQ picker: confirming", () => {
  it("asks before a replay on Enter, and runs it on y", () => {
    const asked = press(three(), " ", { return: true });
    expect(asked).toMatchObject({ mode: "confirm", pending: { action: "replay", ids: [letter(1).messageId] } });
    expect(press(asked, "y").mode).toBe("busy");
  });

  it("asks before deleting on d", () => {
    expect(press(three(), "d").pending).toEqual({ action: "delete", ids: [letter(1).messageId] });
  });

  it("goes back to the list on n or Esc, with nothing pending", () => {
    expect(press(three(), "d", "n")).toMatchObject({ mode: "browse", pending: null });
    expect(press(three(), { return: true }, { escape: true })).toMatchObject({ mode: "browse", pending: null });
  });

  it("says what will happen and to how many", () => {
    expect(confirmQuestion({ action: "replay", ids: ["a", "b"] })).toBe(
      "Replay 2 dead letters to the processing queue? [y/N]",
    );
    expect(confirmQuestion({ action: "delete", ids: ["a"] })).toMatch(/^Delete 1 dead letter for good .*artifact/);
  });
});

describe("DLQ picker: results", () => {
  it("lists each message's outcome and takes the replayed ones off the list", () => {
    const busy = press(three(), "a", { return: true }, "y");
    const done = pickerFinished(busy, "replay", { done: [letter(1).messageId], notFound: [letter(2).messageId] });
    expect(done.mode).toBe("done");
    expect(done.results?.lines).toEqual([
      { messageId: letter(1).messageId, ok: true, text: "replayed" },
      { messageId: letter(2).messageId, ok: false, text: "not found (already gone?)" },
    ]);
    expect(done.letters.map((l) => l.sourceId)).toEqual(["review-2", "review-3"]);
  });

  it("says what would have happened under --dry-run and keeps the letters on the list", () => {
    const done = pickerFinished(three(), "replay", { done: [letter(1).messageId], notFound: [] }, true);
    expect(done.results?.lines[0]?.text).toBe("would be replayed");
    expect(done.letters).toHaveLength(3);
  });

  it("names the kept copy of each deleted message", () => {
    const done = pickerFinished(three(), "delete", { done: ["m1"], notFound: [], kept: ["dlq-deleted/x/m1.json"] });
    expect(done.results?.lines[0]?.text).toBe("deleted (copy kept: dlq-deleted/x/m1.json)");
  });
});

describe("DLQ picker: a row", () => {
  const now = new Date("2026-12-06T14:00:00Z");

  it("shows the mark, short id, source, age, receives and last error", () => {
    expect(letterRow(letter(1), true, 200, now)).toBe(
      "[x] 11111111  app_store_review:review-1     3h    5  error number 1",
    );
  });

  it("cuts the last error to the width it is given", () => {
    const row = letterRow(letter(1, { lastError: "x".repeat(300) }), false, 80, now);
    expect(row).toHaveLength(80);
    expect(row.endsWith("x…")).toBe(true);
  });

  it("keeps the columns aligned and the row inside the width when the source has wide characters", () => {
    const cellsBeforeAge = (row: string) => stringWidth(row.slice(0, row.indexOf("3h")));
    const wide = letterRow(letter(1, { sourceId: "漢字漢字", lastError: "e".repeat(200) }), false, 100, now);
    expect(cellsBeforeAge(wide)).toBe(cellsBeforeAge(letterRow(letter(1), false, 100, now)));
    expect(stringWidth(wide)).toBe(100);
  });

  it("strips terminal control sequences from untrusted text", () => {
    expect(letterRow(letter(1, { lastError: "bad\u001b[2Jthing" }), false, 200, now)).toMatch(/bad\[2Jthing$/);
  });
});
