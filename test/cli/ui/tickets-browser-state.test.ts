import { describe, expect, it } from "vitest";
import type { KeyPress } from "../../../cli/ui/keys.js";
import {
  type BrowserState,
  browserQuery,
  browserReducer,
  cycle,
  detailLines,
  filterSummary,
  headerRow,
  initialBrowser,
  keyHintLines,
  LIST_KEYS,
  pageLoaded,
  pageSummary,
  type Step,
  ticketOpened,
  ticketRow,
  wrapCells,
} from "../../../cli/ui/tickets-browser-state.js";
import { ticket, ticketDetail } from "./ticket-fixture.js";

type Press = string | Omit<KeyPress, "input">;
const toKey = (key: Press): KeyPress => (typeof key === "string" ? { input: key } : { input: "", ...key });

/** Presses the keys in turn; the last step (its state and effect). */
function press(state: BrowserState, ...keys: Press[]): Step {
  let step: Step = { state };
  for (const key of keys) step = browserReducer(step.state, toKey(key));
  return step;
}

const loaded = (total = 3, offset = 0) =>
  pageLoaded(
    { ...initialBrowser({ status: ["needs_review"] }, 3), offset },
    {
      items: [ticket(1), ticket(2), ticket(3)],
      total,
    },
  );

describe("tickets browser: filters", () => {
  it("starts from the command line's filters, one page at offset 0", () => {
    expect(browserQuery(initialBrowser({ status: ["needs_review"], search: "crash" }, 20))).toMatchObject({
      status: ["needs_review"],
      search: "crash",
      limit: 20,
      offset: 0,
    });
  });

  it("cycles priority with p through every level and back to the flags' filter, reloading from the first page", () => {
    const step = press(loaded(10, 3), "p");
    expect(step.effect).toEqual({ kind: "load" });
    expect(browserQuery(step.state)).toMatchObject({ priority: ["Critical"], offset: 0 });
    expect(browserQuery(press(loaded(), "p", "p", "p", "p", "p").state).priority).toBeUndefined();
  });

  it("cycles category with c and status with s, the status replacing the flags' one", () => {
    expect(browserQuery(press(loaded(), "c").state).category).toEqual(["Bug"]);
    expect(browserQuery(press(loaded(), "s").state).status).toEqual(["open"]);
  });

  it("searches the text typed after / once Enter is pressed, and keeps the old search on Esc", () => {
    const typing = press(loaded(), "/", "s", "y", "n", "c");
    expect(typing.effect).toBeUndefined();
    const searched = press(typing.state, { return: true });
    expect(searched.effect).toEqual({ kind: "load" });
    expect(browserQuery(searched.state).search).toBe("sync");
    expect(browserQuery(press(loaded(), "/", "x", { escape: true }).state).search).toBeUndefined();
  });

  it("drops the search when it is emptied", () => {
    const step = press(loaded(), "/", "a", { return: true }, "/", { backspace: true }, { return: true });
    expect(browserQuery(step.state).search).toBeUndefined();
  });

  it("says what each filter is on the filter line", () => {
    expect(filterSummary(press(loaded(), "p").state)).toBe(
      "[p]riority: Critical  [c]ategory: all  [s]tatus: needs_review  [/] search: -",
    );
  });

  it("cycles from the flags' filter through each value and back", () => {
    expect(cycle(["a", "b"], null)).toBe("a");
    expect(cycle(["a", "b"], "a")).toBe("b");
    expect(cycle(["a", "b"], "b")).toBeNull();
  });
});

describe("tickets browser: paging and moving", () => {
  it("goes to the next page with n, PgDn or the right arrow while there is one", () => {
    for (const key of ["n", { pageDown: true }, { rightArrow: true }] as Press[]) {
      const step = press(loaded(10), key);
      expect(step.effect).toEqual({ kind: "load" });
      expect(step.state.offset).toBe(3);
    }
    expect(press(loaded(3), "n").effect).toBeUndefined();
  });

  it("goes back with b or PgUp, never before the first page", () => {
    expect(press(loaded(10, 6), { pageUp: true }).state.offset).toBe(3);
    expect(press(loaded(10, 0), "b").effect).toBeUndefined();
  });

  it("moves the cursor with j/k and the arrows within the page", () => {
    expect(press(loaded(), "j", { downArrow: true }, "j").state.cursor).toBe(2);
    expect(press(loaded(), "j", "k", { upArrow: true }).state.cursor).toBe(0);
  });

  it("says which tickets of how many are shown", () => {
    expect(pageSummary(loaded(10, 3))).toBe("4-6 of 10");
    expect(pageSummary(initialBrowser({}, 3))).toBe("No tickets match.");
  });

  it("quits with q or Esc", () => {
    expect(press(loaded(), "q").state.quit).toBe(true);
    expect(press(loaded(), { escape: true }).state.quit).toBe(true);
  });

  it("quits on Ctrl-C from any view, even while typing, marked interrupted (the command exits 130)", () => {
    for (const state of [loaded(), press(loaded(), "/").state, press(loaded(), "e").state]) {
      expect(browserReducer(state, { input: "c", ctrl: true }).state).toMatchObject({ quit: true, interrupted: true });
    }
  });
});

describe("tickets browser: detail and actions", () => {
  it("opens the ticket under the cursor on Enter", () => {
    expect(press(loaded(), "j", { return: true }).effect).toEqual({ kind: "open", id: ticket(2).id });
  });

  it("goes back from the detail view to the list with q or Esc, without quitting", () => {
    const open = ticketOpened(loaded(), ticketDetail(1));
    expect(open.mode).toBe("detail");
    expect(press(open, "q").state).toMatchObject({ mode: "list", quit: false, detail: null });
  });

  it("approves with a and rejects with r at the version shown, from the list or the detail view", () => {
    expect(press(loaded(), "a").effect).toEqual({ kind: "review", action: "approve", id: ticket(1).id, version: 1 });
    const open = ticketOpened(loaded(), ticketDetail(2, { version: 4 }));
    expect(press(open, "r").effect).toEqual({ kind: "review", action: "reject", id: ticket(2).id, version: 4 });
  });
});

describe("tickets browser: the edit form", () => {
  const editing = () => press(loaded(), "e").state;

  it("opens on e with the ticket's title and priority, the title field first", () => {
    expect(editing().form).toMatchObject({
      id: ticket(1).id,
      field: "title",
      title: ticket(1).title,
      priority: "High",
    });
  });

  it("saves only what changed, at the version shown", () => {
    const step = press(editing(), { backspace: true }, "9", { tab: true }, { rightArrow: true }, { return: true });
    expect(step.effect).toEqual({
      kind: "save",
      id: ticket(1).id,
      version: 1,
      patch: { title: "[BUG] Crash number 9", priority: "Medium" },
    });
    expect(step.state.mode).toBe("list");
  });

  it("cycles the priority backwards with the left arrow", () => {
    const step = press(editing(), { tab: true }, { leftArrow: true }, { leftArrow: true }, { return: true });
    expect(step.effect).toMatchObject({ patch: { priority: "Low" } });
  });

  it("refuses a title shorter than 5 characters and stays in the form", () => {
    const backspaces = Array.from({ length: 17 }, () => ({ backspace: true }));
    const step = press(editing(), ...backspaces, { return: true });
    expect(step.effect).toBeUndefined();
    expect(step.state).toMatchObject({ mode: "edit", message: "The title takes 5-200 characters." });
  });

  it("saves nothing when nothing changed, and Esc leaves the form", () => {
    expect(press(editing(), { return: true })).toMatchObject({ state: { mode: "list", message: "Nothing changed." } });
    expect(press(editing(), "x", { escape: true }).state).toMatchObject({ mode: "list", form: null });
  });
});

describe("tickets browser: drawing", () => {
  it("shows the header and each row with the whole short id and the title cut to the width", () => {
    expect(headerRow(200)).toBe("id        priority  category         status        title");
    const row = ticketRow(ticket(1, { title: `[BUG] ${"long ".repeat(40)}` }), 80);
    expect(row.startsWith("11111111  High      Bug              needs_review  [BUG] long")).toBe(true);
    expect(row.endsWith("…")).toBe(true);
  });

  it("measures wide characters in terminal cells, so the columns stay aligned", () => {
    const row = ticketRow(ticket(1, { category: "Bug", title: "漢字のタイトルです" }), 200);
    expect(row.indexOf("漢")).toBe(headerRow(200).indexOf("title"));
  });

  it("shows the original feedback with its line breaks, the author, date, rating and history", () => {
    const lines = detailLines(ticketDetail(1));
    expect(lines).toEqual(
      expect.arrayContaining([
        "Author: ana@example.com",
        "Date: 2026-12-01T09:30:00.000Z",
        "Rating: ★★☆☆☆ (2/5)",
        "  First line.",
        "  Second line after a break.",
        "  2026-12-06T11:00:00.000Z  maria  priority: Medium -> High  (checked)",
      ]),
    );
  });

  it("wraps a long feedback line at a space to the width", () => {
    expect(wrapCells("one two three four", 9)).toEqual(["one two", "three", "four"]);
  });
});

describe("the key hint", () => {
  it("breaks onto a second line between entries on an 80-column terminal, never losing one", () => {
    const lines = keyHintLines(LIST_KEYS, 79);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(79);
    expect(lines.join("  ")).toBe(LIST_KEYS);
  });

  it("stays on one line when the terminal is wide enough", () => {
    expect(keyHintLines(LIST_KEYS, 200)).toEqual([LIST_KEYS]);
  });
});
