import { describe, expect, it } from "vitest";
import { colourEnvironment } from "../../cli/colour.js";

describe("colour on a terminal", () => {
  it("is turned off by a non-empty NO_COLOR", () => {
    expect(colourEnvironment({ NO_COLOR: "1" }, ["tickets", "list"]).FORCE_COLOR).toBe("0");
  });

  it("stays as detected when NO_COLOR is empty or unset", () => {
    expect(colourEnvironment({ NO_COLOR: "" }, []).FORCE_COLOR).toBeUndefined();
    expect(colourEnvironment({}, []).FORCE_COLOR).toBeUndefined();
  });

  it("is turned off by --no-color wherever it stands, even with FORCE_COLOR set", () => {
    expect(colourEnvironment({ FORCE_COLOR: "1" }, ["tickets", "list", "--no-color"]).FORCE_COLOR).toBe("0");
  });

  it("is forced by FORCE_COLOR over NO_COLOR", () => {
    expect(colourEnvironment({ NO_COLOR: "1", FORCE_COLOR: "1" }, []).FORCE_COLOR).toBe("1");
  });

  it("runs without NO_COLOR once FORCE_COLOR decides, so Node does not warn that it is ignored", () => {
    expect(colourEnvironment({ NO_COLOR: "1", FORCE_COLOR: "1" }, [])).toEqual({ FORCE_COLOR: "1" });
    expect(colourEnvironment({ NO_COLOR: "1" }, [])).toEqual({ FORCE_COLOR: "0" });
    expect(colourEnvironment({ NO_COLOR: "1", FORCE_COLOR: "1" }, ["--no-color"])).toEqual({ FORCE_COLOR: "0" });
  });
});
