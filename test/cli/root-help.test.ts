import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../cli/command-list.js";
import { createProgram } from "../../cli/program.js";
import { GLOBAL_OPTIONS, ROOT_EXAMPLES, ROOT_HELP_AFTER, rootHelpText } from "../../cli/root-help.js";

async function commanderRootHelp(width: number): Promise<string> {
  const program = await createProgram(() => {
    throw new Error("no command runs");
  }, ["node", "feedback-cli", "--help"]);
  let text = "";
  program.configureOutput({
    getOutHelpWidth: () => width,
    writeOut: (chunk) => {
      text += chunk;
    },
  });
  program.outputHelp();
  return text;
}

const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("the root help printed without commander", () => {
  it.each([80, 60, 120, 200])("is the text commander prints, on a terminal %i columns wide", async (width) => {
    expect(rootHelpText(width)).toBe(await commanderRootHelp(width));
  });

  it("gives the usage line and every command with its summary", () => {
    const text = rootHelpText(1000);
    expect(text).toMatch(/^Usage: feedback-cli \[options\] \[command\]\n/);
    for (const command of COMMANDS)
      expect(text).toMatch(new RegExp(`\n  ${command.name} +${literally(command.summary)}\n`));
  });

  it("gives the global options, the environment variables and the exit codes", () => {
    const text = rootHelpText(1000);
    for (const option of GLOBAL_OPTIONS)
      expect(text).toMatch(new RegExp(`\n  ${literally(option.flags)} +${literally(option.description)}\n`));
    expect(text).toContain(ROOT_HELP_AFTER);
    expect(ROOT_HELP_AFTER).toMatch(/DATABASE_URL[\s\S]*FEEDBACK_DATA_DIR[\s\S]*Exit codes: 0 ok/);
  });

  it("gives examples of the first commands to run", () => {
    const text = rootHelpText(80);
    expect(text).toContain(`\nExamples:\n${ROOT_EXAMPLES.map((example) => `  $ ${example}`).join("\n")}\n`);
  });
});
