import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { parseStorableText } from "../../cli/parse-options.js";
import { createProgram } from "../../cli/program.js";
import { runCli } from "../support/cli.js";

/** The program parsing `args` in-process, as a script driving the CLI would; the error it stops with. */
async function usageErrorOf(args: string[]): Promise<CommanderError> {
  const argv = ["node", "feedback-cli", ...args];
  const program = await createProgram(() => {
    throw new Error("no command should run");
  }, argv);
  const stderr = process.stderr.write;
  process.stderr.write = () => true;
  try {
    await program.parseAsync(argv);
  } catch (error) {
    return error as CommanderError;
  } finally {
    process.stderr.write = stderr;
  }
  throw new Error(`${args.join(" ")} parsed`);
}

describe("free-text options bound for the database", () => {
  it("refuse a NUL or a lone surrogate, naming the flag and the character", () => {
    const search = parseStorableText("--search");
    expect(() => search("a\u0000b")).toThrow(/--search contains a NUL character \(U\+0000\) at character 2/);
    expect(() => search("x\ud83d")).toThrow(/--search contains a lone UTF-16 surrogate/);
    expect(search("café 😀 \ufffd")).toBe("café 😀 \ufffd");
  });

  it("are usage errors (bin.ts exits 2) naming the flag, for tickets list --search, tickets show and dlq replay --id", async () => {
    for (const [args, flag] of [
      [["tickets", "list", "--search", "a\u0000b"], "--search"],
      [["tickets", "list", "--search", "\udc00"], "--search"],
      [["tickets", "show", "id\u0000"], "<id>"],
      [["dlq", "replay", "--id", "m-1,m\u00002"], "--id"],
    ] as const) {
      const error = await usageErrorOf([...args]);
      expect(error, args.join(" ")).toBeInstanceOf(CommanderError);
      expect(error.code).toBe("commander.invalidArgument");
      expect(error.exitCode).not.toBe(0);
      expect(error.message).toContain(`${flag} contains`);
    }
  });

  it("from a shell can hold neither: what reaches the process is U+FFFD, an ordinary search", async () => {
    // argv is C strings (no NUL), and Node reads a lone surrogate's bytes as U+FFFD, so the command runs.
    const cwd = await mkdtemp(path.join(tmpdir(), "ft-cli-text-"));
    const result = await runCli(["tickets", "list", "--search", "a\ud800b", "--json"], { cwd });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });
});

describe("numbers and choices given on the command line", () => {
  it("--limit 0 is a usage error naming the flag and its range", async () => {
    const error = await usageErrorOf(["tickets", "list", "--limit", "0"]);
    expect(error.message).toMatch(/--limit must be a whole number from 1 to 1000/);
  });

  it("--offset 0 is accepted", async () => {
    await expect(usageErrorOf(["tickets", "list", "--offset", "0", "--limit", "x"])).resolves.toMatchObject({
      message: expect.stringMatching(/--limit must be a whole number/),
    });
  });

  it("an unknown --sort field is a usage error listing the allowed ones", async () => {
    const error = await usageErrorOf(["tickets", "list", "--sort", "prio"]);
    expect(error.message).toMatch(/'prio' is invalid\. Allowed choices are createdAt, updatedAt, priority/);
  });
});
