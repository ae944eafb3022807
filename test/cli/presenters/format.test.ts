import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { table } from "../../../cli/presenters/format.js";
import { deadLettersText } from "../../../cli/presenters/ops-presenter.js";
import { ticketsText } from "../../../cli/presenters/tickets-presenter.js";
import { letter } from "../ui/dead-letter-fixture.js";
import { ticket } from "../ui/ticket-fixture.js";

const ID = "8767cbf0-47aa-43ed-a81d-ffea2508bc8d";

describe("plain-text tables", () => {
  it("have a header row and a rule", () => {
    expect(table(["ID", "NAME"], [["1", "a"]]).split("\n")).toEqual(["ID  NAME", "--  ----", "1   a"]);
  });

  it("align by display width: CJK characters and emoji take two cells", () => {
    const lines = table(
      ["TEXT", "N"],
      [
        ["アプリ", "1"],
        ["ok", "2"],
      ],
    ).split("\n");
    expect(lines[2]).toBe("アプリ  1");
    expect(lines[3]).toBe("ok      2");
  });

  it("never cut a whole column (ids), whatever its limit", () => {
    const text = table(["ID", "ERROR"], [[ID, "boom"]], { maxWidths: [8], whole: [0] });
    expect(text).toContain(ID);
  });

  it("fit the last column to the terminal, cut with …", () => {
    const error = "x".repeat(200);
    const lines = table(["ID", "ERROR"], [[ID, error]], { whole: [0], columns: 80 }).split("\n");
    expect(lines[2]).toHaveLength(80);
    expect(lines[2]!.endsWith("…")).toBe(true);
  });

  it("print the last column whole when piped (no terminal width)", () => {
    const error = "x".repeat(200);
    expect(table(["ID", "ERROR"], [[ID, error]], { whole: [0] })).toContain(error);
  });
});

describe("tables on a narrow terminal", () => {
  const wideRows = [[ID, "Feature Request", "x".repeat(200)]];
  const narrow = { ids: [0], shrink: [1, 2] };

  it.each([50, 60])("fit %i columns: no line is wider, ids shown as their 8-character prefix", (columns) => {
    const lines = table(["ID", "CATEGORY", "TITLE"], wideRows, { ...narrow, columns }).split("\n");
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
    expect(lines[2]!.startsWith(`${ID.slice(0, 8)}  `)).toBe(true);
  });

  it("keep ids whole when the terminal is wide enough for them", () => {
    const text = table(["ID", "CATEGORY", "TITLE"], wideRows, { ...narrow, columns: 120 });
    expect(text).toContain(ID);
  });

  it("keep ids whole when piped, whatever their length", () => {
    expect(table(["ID", "CATEGORY", "TITLE"], wideRows, narrow)).toContain(ID);
  });

  it("shrink free-text columns before the last one, down to their header", () => {
    const lines = table(["ID", "CATEGORY", "ERROR"], [[ID, "c".repeat(60), "e".repeat(60)]], {
      ...narrow,
      columns: 40,
    }).split("\n");
    expect(lines[2]).toBe(`${ID.slice(0, 8)}  ccccccc…  ${"e".repeat(19)}…`);
  });
});

describe("tickets list and dlq list on a terminal", () => {
  const tickets = [ticket(1, { category: "Feature Request", title: "標題 ".repeat(40) }), ticket(2)];
  const letters = [letter(1, { lastError: "boom ".repeat(60), sourceId: "a-very-long-source-identifier-1" })];

  it.each([80, 100])("tickets fit %i columns with every id intact", (columns) => {
    const lines = ticketsText({ items: tickets, total: 2 }, 0, columns).split("\n");
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
    for (const t of tickets) expect(lines.some((line) => line.startsWith(`${t.id.slice(0, 8)} `))).toBe(true);
  });

  it.each([80, 100])("dead letters fit %i columns with every id intact", (columns) => {
    const lines = deadLettersText(letters, columns).split("\n");
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
    expect(lines[2]!.startsWith(`${letters[0]!.messageId.slice(0, 8)} `)).toBe(true);
  });

  it("print full ids when piped", () => {
    expect(ticketsText({ items: tickets, total: 2 }, 0)).toContain(tickets[0]!.id);
    expect(deadLettersText(letters)).toContain(letters[0]!.messageId);
  });
});
