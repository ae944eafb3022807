import { describe, expect, it } from "vitest";
import { fastAnswer } from "../../cli/fast-path.js";
import { rootHelpText, VERSION } from "../../cli/root-help.js";
import { repoRoot, runCli } from "../support/cli.js";

describe("the command lines answered without commander", () => {
  it.each([["--help"], ["-h"], ["help"]])("%s prints the root help on stdout, exit 0", (arg) => {
    expect(fastAnswer([arg])).toEqual({ stream: "stdout", text: rootHelpText(80), exitCode: 0 });
  });

  it("lays the help out for the terminal's width", () => {
    expect(fastAnswer(["--help"], { stdout: 120 })?.text).toBe(rootHelpText(120));
  });

  it("prints the version for --version and -V", () => {
    expect(fastAnswer(["--version"])).toEqual({ stream: "stdout", text: `${VERSION}\n`, exitCode: 0 });
    expect(fastAnswer(["-V"])?.text).toBe(`${VERSION}\n`);
  });

  it("answers no arguments with the help on stderr, a usage error (exit 2)", () => {
    expect(fastAnswer([], { stderr: 100 })).toEqual({ stream: "stderr", text: rootHelpText(100), exitCode: 2 });
  });

  it("leaves every other command line to commander", () => {
    expect(fastAnswer(["tickets", "--help"])).toBeNull();
    expect(fastAnswer(["help", "dlq"])).toBeNull();
    expect(fastAnswer(["--data-dir", "x", "--help"])).toBeNull();
    expect(fastAnswer(["tickts"])).toBeNull();
  });
});

describe("feedback-cli --help, run", () => {
  it("prints the root help and exits 0", async () => {
    const run = await runCli(["--help"], { cwd: repoRoot });
    expect(run).toEqual({ code: 0, stdout: rootHelpText(80), stderr: "" });
  });
});
