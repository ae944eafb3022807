import type { Command } from "commander";
import { deleteDeadLetters, listDeadLetters, replayDeadLetters, showDeadLetter } from "../../app/dlq/dlq-service.js";
import type { RuntimeConfig } from "../../sdk/config/runtime.js";
import { summaryOf } from "../command-list.js";
import { canAsk } from "../confirm.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { isInteractive, printJson, printText, terminalColumns } from "../io.js";
import { DlqListJson, DlqReplayJson, DlqShowJson } from "../output-schemas.js";
import { collectIdsOrPrefixes, parseIdOrPrefix, parsePositiveInt } from "../parse-options.js";
import { deadLettersText, deadLetterText, replayText } from "../presenters/ops-presenter.js";
import { SIGNAL_EXIT_CODES } from "../signals.js";

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
      else printText(deadLettersText(letters, terminalColumns()));
    });
  dlq
    .command("show")
    .description("Show one dead letter in full: its source, receives, the whole last error and the message body")
    .argument("<id>", "the message id, or a unique prefix of it (at least 6 characters)", parseIdOrPrefix("<id>"))
    .option("--json", "print JSON")
    .action(async (id: string, flags: { json?: boolean }, command: Command) => {
      const letter = await withBackend(commandConfig(loadConfig, command), (backend) => showDeadLetter(backend, id));
      if (flags.json) printJson(DlqShowJson, letter);
      else printText(deadLetterText(letter));
    });
  dlq
    .command("replay")
    .description(
      "Move dead letters back to the processing queue (after fixing their cause); on a terminal without --id or --all, pick them from a list (replay or delete)",
    )
    .option(
      "--id <messageId>",
      "message to replay, or a unique prefix of its id (at least 6 characters); repeatable, or comma-separated",
      collectIdsOrPrefixes("--id"),
    )
    .option("--all", "replay every dead letter")
    .option("--dry-run", "show what would be replayed")
    .option("--json", "print JSON")
    .action(async (flags: { id?: string[]; all?: boolean; dryRun?: boolean; json?: boolean }, command: Command) => {
      const config = commandConfig(loadConfig, command);
      if (!flags.all && !flags.id?.length) {
        if (isInteractive(Boolean(flags.json), config.cli.ci) && canAsk(config.cli.ci))
          return pickDeadLetters(config, Boolean(flags.dryRun));
        command.error(
          "error: dlq replay picks dead letters on an interactive terminal only; without one use --id <messageId> (repeatable) or --all ('feedback-cli dlq list' shows the ids)",
          { exitCode: 2, code: "feedback.notATerminal" },
        );
      }
      const result = await withBackend(config, (backend) =>
        replayDeadLetters(backend, { ids: flags.id, all: flags.all, dryRun: flags.dryRun }),
      );
      if (flags.json) printJson(DlqReplayJson, result);
      else printText(replayText(result));
      if (result.notFound.length > 0) process.exitCode = 1;
    });
}

/** `dlq replay` on a terminal without --id / --all: the picker (cli/ui/dlq-picker.tsx) over the dead letters. */
async function pickDeadLetters(config: RuntimeConfig, dryRun: boolean): Promise<void> {
  await withBackend(config, async (backend) => {
    const { DLQ_PICKER_LIMIT, runDlqPicker } = await import("../ui/dlq-picker.js");
    // One more than the picker shows: whether the DLQ holds more than it loads.
    const loaded = await listDeadLetters(backend, DLQ_PICKER_LIMIT + 1);
    const letters = loaded.slice(0, DLQ_PICKER_LIMIT);
    if (letters.length === 0) {
      printText("The DLQ is empty: nothing to replay.");
      return;
    }
    const last = await runDlqPicker(
      letters,
      {
        replay: (ids) => replayDeadLetters(backend, { ids, dryRun }),
        remove: async (ids) => {
          if (!dryRun) return deleteDeadLetters(backend, ids);
          const found = await Promise.all(ids.map((id) => backend.dlq.get(id)));
          return { deleted: ids.filter((_, i) => found[i]), notFound: ids.filter((_, i) => !found[i]), kept: [] };
        },
      },
      dryRun,
      loaded.length > letters.length,
    );
    if (last.interrupted) process.exitCode = SIGNAL_EXIT_CODES.SIGINT;
    else if (last.results?.lines.some((line) => !line.ok)) process.exitCode = 1;
  });
}
