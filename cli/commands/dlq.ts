import type { Command } from "commander";
import { listDeadLetters, replayDeadLetters } from "../../app/dlq/dlq-service.js";
import { summaryOf } from "../command-list.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { printJson, printText } from "../io.js";
import { DlqListJson, DlqReplayJson } from "../output-schemas.js";
import { collectIdsOrPrefixes, parsePositiveInt } from "../parse-options.js";
import { deadLettersText, replayText } from "../presenters/ops-presenter.js";

export function registerDlqCommands(program: Command, loadConfig: LoadConfig): void {
  const dlq = program.command("dlq").description(summaryOf("dlq"));
  dlq
    .command("list")
    .description("List dead letters with their last error")
    .option("--limit <n>", "how many", parsePositiveInt("--limit", 10_000), 100)
    .option("--json", "print JSON")
    .action(async (flags: { limit: number; json?: boolean }, command: Command) => {
      const letters = await withBackend(commandConfig(loadConfig, command), (backend) =>
        listDeadLetters(backend, flags.limit),
      );
      if (flags.json) printJson(DlqListJson, letters);
      else printText(deadLettersText(letters));
    });
  dlq
    .command("replay")
    .description("Move dead letters back to the processing queue (after fixing their cause)")
    .option(
      "--id <messageId>",
      "message to replay, or a unique prefix of its id (at least 6 characters); repeatable, or comma-separated",
      collectIdsOrPrefixes("--id"),
    )
    .option("--all", "replay every dead letter")
    .option("--dry-run", "show what would be replayed")
    .option("--json", "print JSON")
    .action(async (flags: { id?: string[]; all?: boolean; dryRun?: boolean; json?: boolean }, command: Command) => {
      const result = await withBackend(commandConfig(loadConfig, command), (backend) =>
        replayDeadLetters(backend, { ids: flags.id, all: flags.all, dryRun: flags.dryRun }),
      );
      if (flags.json) printJson(DlqReplayJson, result);
      else printText(replayText(result));
      if (result.notFound.length > 0) process.exitCode = 1;
    });
}
