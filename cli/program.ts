import { Command, Option } from "commander";
import { COMMANDS, examplesBlock, examplesText, invokedCommand, SUBCOMMAND_EXAMPLES } from "./command-list.js";
import type { LoadConfig } from "./context.js";
import { DESCRIPTION, GLOBAL_OPTIONS, PROGRAM_NAME, ROOT_HELP_AFTER, VERSION } from "./root-help.js";

/**
 * The CLI for `argv` (as process.argv: node, script, args); `loadConfig` gives the runtime configuration parsed
 * from the environment (bin.ts). Only the command `argv` runs is loaded (cli/command-list.ts); the others are listed
 * by name and summary, for `--help` and for commander's "unknown command" with its suggestion. `all` loads every
 * command (shell completion needs their flags).
 */
export async function createProgram(
  loadConfig: LoadConfig,
  argv: readonly string[],
  options: { all?: boolean } = {},
): Promise<Command> {
  const program = new Command(PROGRAM_NAME).description(DESCRIPTION).version(VERSION);
  for (const option of GLOBAL_OPTIONS) program.addOption(new Option(option.flags, option.description));
  program
    .showHelpAfterError("(run with --help for usage)")
    // Before the subcommands are added, so that they inherit it: bin.ts maps errors to exit codes.
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  program.addHelpText("after", ROOT_HELP_AFTER);
  const invoked = invokedCommand(argv.slice(2));
  for (const entry of COMMANDS) {
    if (entry === invoked || options.all) {
      (await entry.load())(program, loadConfig);
      const command = program.commands.find((c) => c.name() === entry.name);
      command?.addHelpText("after", examplesText(entry));
      for (const sub of command?.commands ?? []) {
        const examples = SUBCOMMAND_EXAMPLES[`${entry.name} ${sub.name()}`];
        if (examples) sub.addHelpText("after", examplesBlock(examples));
      }
    } else program.command(entry.name).description(entry.summary);
  }
  return program;
}
