import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../cli/command-list.js";
import { repoRoot, runCli } from "../support/cli.js";

/** What bash completes for a command line whose last word is being typed, through the generated script. */
function bashCompletes(script: string, words: string[]): string[] {
  const lines = [
    `source ${JSON.stringify(script)}`,
    `COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(" ")})`,
    `COMP_CWORD=${words.length - 1}`,
    "_feedback_cli",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash expansion, not a template
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ];
  return execFileSync("bash", ["-c", lines.join("\n")], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean);
}

describe("feedback-cli completion", () => {
  let bashScript: string;

  beforeAll(async () => {
    const run = await runCli(["completion", "bash"], { cwd: repoRoot });
    expect(run.code, run.stderr).toBe(0);
    bashScript = path.join(await mkdtemp(path.join(tmpdir(), "ft-completion-")), "feedback-cli.bash");
    writeFileSync(bashScript, run.stdout);
  }, 60_000);

  it("bash: completes a command name from its first letters", () => {
    expect(bashCompletes(bashScript, ["feedback-cli", "tic"])).toEqual(["tickets"]);
  });

  it("bash: lists a command's subcommands", () => {
    expect(bashCompletes(bashScript, ["feedback-cli", "dlq", ""])).toEqual(["list", "show", "replay"]);
  });

  it("bash: offers a flag's allowed values after it, past global options", () => {
    const words = ["feedback-cli", "--data-dir", "/tmp/x", "tickets", "list", "--sort", ""];
    expect(bashCompletes(bashScript, words)).toEqual(["createdAt", "updatedAt", "priority", "confidence", "category"]);
  });

  it.each([
    ["--priority", ["critical", "high", "medium", "low"]],
    ["--status", ["open", "needs_review", "approved", "rejected", "closed"]],
    ["--category", ["bug", "feature", "praise", "complaint", "spam", "failed"]],
  ])("bash: offers the values of tickets list %s, a list of fixed values", (flag, values) => {
    expect(bashCompletes(bashScript, ["feedback-cli", "tickets", "list", flag, ""])).toEqual(values);
  });

  it("bash: completes the shell of `completion <shell>`", () => {
    expect(bashCompletes(bashScript, ["feedback-cli", "completion", ""])).toEqual(["bash", "zsh", "fish"]);
    expect(bashCompletes(bashScript, ["feedback-cli", "completion", "z"])).toEqual(["zsh"]);
  });

  it("bash: completes flags when a dash is typed", () => {
    expect(bashCompletes(bashScript, ["feedback-cli", "ingest", "--st"])).toEqual(["--strict"]);
  });

  it("zsh and fish: name every command and the values of flags with choices", async () => {
    for (const shell of ["zsh", "fish"]) {
      const run = await runCli(["completion", shell], { cwd: repoRoot });
      expect(run.code, run.stderr).toBe(0);
      for (const command of COMMANDS) expect(run.stdout).toContain(command.name);
      expect(run.stdout).toMatch(/createdAt/);
    }
  });

  it("an unknown shell is a usage error listing the shells", async () => {
    const run = await runCli(["completion", "powershell"], { cwd: repoRoot });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Allowed choices are bash, zsh, fish/);
  });
});
