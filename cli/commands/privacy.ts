import type { Command } from "commander";
import { eraseAuthor, erasureSubject } from "../../app/privacy/erase-service.js";
import { ValidationError } from "../../sdk/errors.js";
import { canAsk, confirm } from "../confirm.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { printJson, printText } from "../io.js";
import { PrivacyEraseJson } from "../output-schemas.js";
import { parseStorableText } from "../parse-options.js";
import { confirmErasureText, erasureText } from "../presenters/privacy-presenter.js";

interface EraseFlags {
  author: string;
  dryRun?: boolean;
  yes?: boolean;
  actor?: string;
  json?: boolean;
}

/** `privacy erase`: one person's data erased on request, through the use case of app/privacy. */
export function registerPrivacyCommands(program: Command, loadConfig: LoadConfig): void {
  const privacy = program.command("privacy").description("Personal data: erase one person's data on request");
  privacy
    .command("erase")
    .description(
      "Erase one person's feedback and what was made from it (tickets, history, logs, queued messages); asks on a terminal, --yes for scripts",
    )
    .requiredOption(
      "--author <name|email>",
      "the person: their name or e-mail address as the feedback carries it (any case)",
      parseStorableText("--author"),
    )
    .option("--dry-run", "say what would change, change nothing")
    .option("-y, --yes", "do not ask (needed without a terminal)")
    .option(
      "--actor <name>",
      "who asked for it, recorded with the erasure (default: your login name)",
      parseStorableText("--actor"),
    )
    .option("--json", "print JSON")
    .action(async (flags: EraseFlags, command: Command) => {
      try {
        erasureSubject(flags.author);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        command.error(`error: option '--author <name|email>': ${error.message}; ${error.hint}`, {
          exitCode: 2,
          code: "feedback.badAuthor",
        });
      }
      const config = commandConfig(loadConfig, command);
      const ask = !flags.dryRun && !flags.yes && canAsk(config.cli.ci);
      if (!flags.dryRun && !flags.yes && !ask) {
        command.error(
          "error: erasing without a terminal to confirm needs --yes (check first with --dry-run and the same --author)",
          { exitCode: 2, code: "feedback.confirmationNeeded" },
        );
      }
      const request = { author: flags.author, actor: flags.actor ?? config.dashboard.localUser };
      const result = await withBackend(config, async (backend) => {
        if (ask) {
          // Nothing found: nothing to confirm; the request is still recorded.
          const preview = await eraseAuthor(backend, { ...request, dryRun: true });
          if (preview.found && !(await confirm(confirmErasureText(preview)))) {
            process.stderr.write("Cancelled: nothing changed.\n");
            process.exitCode = 1;
            return null;
          }
        }
        return eraseAuthor(backend, { ...request, dryRun: Boolean(flags.dryRun) });
      });
      if (!result) return;
      if (flags.json) printJson(PrivacyEraseJson, result);
      else printText(erasureText(result));
    });
}
