import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMANDS, invokedCommand, profileFlag, SUBCOMMAND_EXAMPLES } from "../../cli/command-list.js";
import { createProgram } from "../../cli/program.js";
import { ROOT_EXAMPLES } from "../../cli/root-help.js";
import { repoRoot, runCli } from "../support/cli.js";

describe("which command a command line runs (only that one is loaded)", () => {
  it("is the first word that is not an option", () => {
    expect(invokedCommand(["tickets", "list", "--json"])?.name).toBe("tickets");
  });

  it("skips the value of --data-dir, even when it is a command's name", () => {
    expect(invokedCommand(["--data-dir", "status", "ingest", "a.csv"])?.name).toBe("ingest");
  });

  it("is the command asked about in `help <command>`", () => {
    expect(invokedCommand(["help", "dlq"])?.name).toBe("dlq");
  });

  it("is none for --help alone, --version or a misspelt command", () => {
    expect(invokedCommand(["--help"])).toBeNull();
    expect(invokedCommand(["-V"])).toBeNull();
    expect(invokedCommand(["tickts", "list"])).toBeNull();
  });
});

describe("feedback-cli --help", () => {
  it("lists every command with its summary", async () => {
    const run = await runCli(["--help"], { cwd: repoRoot });
    expect(run.code).toBe(0);
    for (const command of COMMANDS) expect(run.stdout).toContain(command.name);
  });

  it("gives a command's own help, from its module, with the same summary", async () => {
    const run = await runCli(["dlq", "--help"], { cwd: repoRoot });
    expect(run.stdout).toContain(COMMANDS.find((c) => c.name === "dlq")!.summary);
    expect(run.stdout).toMatch(/replay/);
  });

  it("suggests the command meant for a misspelt one and exits 2", async () => {
    const run = await runCli(["tickts"], { cwd: repoRoot });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Did you mean tickets\?/);
  });
});

describe("--profile", () => {
  it("is found before or after the command, in both spellings", () => {
    expect(profileFlag(["--profile", "prod", "tickets", "list"])).toBe("prod");
    expect(profileFlag(["tickets", "list", "--profile=prod"])).toBe("prod");
    expect(profileFlag(["tickets", "list"])).toBeNull();
  });

  it("does not make its value a command", () => {
    expect(invokedCommand(["--profile", "status", "ingest", "a.csv"])?.name).toBe("ingest");
  });

  it("targets the profile's embedded folder, relative to the profiles file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ft-profile-cli-"));
    writeFileSync(path.join(dir, "profiles.json"), JSON.stringify({ profiles: { scratch: { dataDir: "data" } } }));
    const run = await runCli(["--profile", "scratch", "status"], {
      cwd: repoRoot,
      env: { FEEDBACK_PROFILES_FILE: path.join(dir, "profiles.json") },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`embedded PGlite at ${path.join(dir, "data")}`);
  }, 60_000);
});

/** The command an example runs, after checking that each of its words names a command or a flag that exists. */
function expectRunnable(program: Command, example: string): Command {
  const words = example
    .replace(/^.*feedback-cli /, "")
    .replace(/\)"$/, "")
    .split(" ");
  let command = program;
  const flags = new Set(program.options.map((o) => o.long));
  for (const word of words) {
    const sub = command.commands.find((c) => c.name() === word);
    if (sub) {
      command = sub;
      for (const option of sub.options) flags.add(option.long);
    } else if (word.startsWith("--")) expect(flags, `${example}: ${word}`).toContain(word.split("=")[0]);
  }
  expect(command.name(), example).not.toBe("feedback-cli");
  return command;
}

const everyCommand = () =>
  createProgram(
    () => {
      throw new Error("no command runs");
    },
    [],
    { all: true },
  );

describe("the examples in each command's --help", () => {
  it("name commands and flags that exist", async () => {
    const program = await everyCommand();
    for (const entry of COMMANDS) for (const example of entry.examples) expectRunnable(program, example);
  });

  it("of subcommands name that subcommand and flags that exist", async () => {
    const program = await everyCommand();
    for (const [name, examples] of Object.entries(SUBCOMMAND_EXAMPLES))
      for (const example of examples) expect(commandPath(expectRunnable(program, example)), example).toBe(name);
  });

  it("of the root help name commands and flags that exist", async () => {
    const program = await everyCommand();
    for (const example of ROOT_EXAMPLES) expectRunnable(program, example);
  });

  it.each(["dlq replay", "tickets browse", "tickets list"])("are shown by `%s --help`", async (name) => {
    const program = await everyCommand();
    const [parent, leaf] = name.split(" ");
    const command = program.commands.find((c) => c.name() === parent)!.commands.find((c) => c.name() === leaf)!;
    let help = "";
    command.configureOutput({
      writeOut: (text) => {
        help += text;
      },
    });
    command.outputHelp();
    expect(help).toContain(`\nExamples:\n  $ ${SUBCOMMAND_EXAMPLES[name]![0]}`);
  });
});

const commandPath = (command: Command): string =>
  command.parent && command.parent.name() !== "feedback-cli"
    ? `${commandPath(command.parent)} ${command.name()}`
    : command.name();
