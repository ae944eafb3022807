import type { Command } from "commander";
import { eraseAuthor, erasureHistory, erasureSubject } from "../../app/privacy/erase-service.js";
import { ValidationError } from "../../sdk/errors.js";
import { summaryOf } from "../command-list.js";
import { canAsk, confirm } from "../confirm.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { printJson, printText } from "../io.js";
import { PrivacyEraseJson, PrivacyHistoryJson } from "../output-schemas.js";
import { parsePositiveInt, parseStorableText } from "../parse-options.js";
import { confirmErasureText, erasureHistoryText, erasureText } from "../presenters/privacy-presenter.js";

interface EraseFlags {
  author: string;
  dryRun?: boolean;
  yes?: boolean;
  actor?: string;
  json?: boolean;
}

/** A name or address too short to erase by is a usage error naming --author. */
function checkAuthor(author: string, command: Command): void {
  try {
    erasureSubject(author);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    command.error(`error: option '--author <name|email>': ${error.message}; ${error.hint}`, {
      exitCode: 2,
      code: "feedback.badAuthor",
    });
  }
}

/** `privacy erase` and `privacy history`: one person's data erased on request, through app/privacy's use case. */
export function registerPrivacyCommands(program: Command, loadConfig: LoadConfig): void {
  const privacy = program.command("privacy").description(summaryOf("privacy"));
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
      checkAuthor(flags.author, command);
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
  privacy
    .command("history")
    .description("Recorded erasures, newest first (who asked, when, what changed); --author: only that person's")
    .option(
      "--author <name|email>",
      "only the erasures of this person (their salted hash is recomputed)",
      parseStorableText("--author"),
    )
    .option("--limit <n>", "at most this many", parsePositiveInt("--limit", 10_000), 50)
    .option("--json", "print JSON")
    .action(async (flags: { author?: string; limit: number; json?: boolean }, command: Command) => {
      if (flags.author !== undefined) checkAuthor(flags.author, command);
      const config = commandConfig(loadConfig, command);
      const history = await withBackend(config, (backend) =>
        erasureHistory(backend, { author: flags.author, limit: flags.limit }),
      );
      if (flags.json) printJson(PrivacyHistoryJson, history);
      else printText(erasureHistoryText(history));
    });
}
