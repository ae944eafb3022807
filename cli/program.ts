import { Command, Option } from "commander";
import { COMMANDS, examplesText, invokedCommand } from "./command-list.js";
import type { LoadConfig } from "./context.js";

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
  const program = new Command("feedback-cli")
    .description("Turn user feedback into classified, prioritized tickets.")
    .version("0.1.0")
    .addOption(
      new Option(
        "--data-dir <path>",
        "folder of the embedded database (default FEEDBACK_DATA_DIR, else ./.feedback-triage)",
      ),
    )
    .option(
      "--profile <name>",
      "target from the profiles file (a deployed stack; see README, Profiles); also FEEDBACK_PROFILE",
    )
    .option("--no-color", "no colours on a terminal (as NO_COLOR=1 does; FORCE_COLOR=1 forces them)")
    .showHelpAfterError("(run with --help for usage)")
    // Before the subcommands are added, so that they inherit it: bin.ts maps errors to exit codes.
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  program.addHelpText(
    "after",
    `
Environment (every setting: README.md, "Configuration"; the effective ones: feedback-cli status --json):
  DATABASE_URL        use this PostgreSQL instead of the embedded database
  FEEDBACK_DATA_DIR   folder of the embedded database
  FEEDBACK_PROFILE    a profile of ~/.config/feedback-triage/profiles.json (FEEDBACK_PROFILES_FILE), as --profile
  NO_COLOR            no colours (any value); FORCE_COLOR=1 forces them, FORCE_COLOR=0 turns them off

Exit codes: 0 ok, 1 an error you can fix (the message says how), 2 usage error,
  130 / 143 interrupted by Ctrl-C / SIGTERM (worker, serve and dashboard stop with 0; a second signal: 130 / 143).`,
  );
  const invoked = invokedCommand(argv.slice(2));
  for (const entry of COMMANDS) {
    if (entry === invoked || options.all) {
      (await entry.load())(program, loadConfig);
      program.commands.find((c) => c.name() === entry.name)?.addHelpText("after", examplesText(entry));
    } else program.command(entry.name).description(entry.summary);
  }
  return program;
}
