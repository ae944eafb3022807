import { Command, Option } from "commander";
import { registerConfigCommands } from "./commands/config.js";
import { registerDashboardCommand } from "./commands/dashboard.js";
import { registerDlqCommands } from "./commands/dlq.js";
import { registerEvalCommand } from "./commands/eval.js";
import { registerImportCommands } from "./commands/import.js";
import { registerIngestCommand } from "./commands/ingest.js";
import { registerPrivacyCommands } from "./commands/privacy.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerStatusCommand } from "./commands/status.js";
import { registerTicketsCommands } from "./commands/tickets.js";
import { registerWorkerCommand } from "./commands/worker.js";
import type { LoadConfig } from "./context.js";

/** The CLI; `loadConfig` gives the runtime configuration parsed from the environment (bin.ts). */
export function createProgram(loadConfig: LoadConfig): Command {
  const program = new Command("feedback-cli")
    .description("Turn user feedback into classified, prioritized tickets.")
    .version("0.1.0")
    .addOption(
      new Option(
        "--data-dir <path>",
        "folder of the embedded database (default FEEDBACK_DATA_DIR, else ./.feedback-triage)",
      ),
    )
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

Exit codes: 0 ok, 1 an error you can fix (the message says how), 2 usage error,
  130 / 143 interrupted by Ctrl-C / SIGTERM (worker, serve and dashboard stop with 0; a second signal: 130 / 143).`,
  );
  registerIngestCommand(program, loadConfig);
  registerTicketsCommands(program, loadConfig);
  registerDlqCommands(program, loadConfig);
  registerWorkerCommand(program, loadConfig);
  registerStatusCommand(program, loadConfig);
  registerServeCommand(program, loadConfig);
  registerEvalCommand(program, loadConfig);
  registerDashboardCommand(program, loadConfig);
  registerImportCommands(program, loadConfig);
  registerConfigCommands(program, loadConfig);
  registerPrivacyCommands(program, loadConfig);
  return program;
}
