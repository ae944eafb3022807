import { describe, expect, it } from "vitest";
import { table } from "../../../cli/presenters/format.js";

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
