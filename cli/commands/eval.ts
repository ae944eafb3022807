import { type Command, Option } from "commander";
import { EvaluationReport, PlainEvaluationReport } from "../../sdk/schemas/evaluation.js";
import { summaryOf } from "../command-list.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { printJson, printText } from "../io.js";

export function registerEvalCommand(program: Command, loadConfig: LoadConfig): void {
  program
    .command("eval")
    .description(summaryOf("eval"))
    .argument(
      "<expected>",
      "expected labels CSV (record_id, expected_category, expected_priority | source_id, source_type, category, priority, ...), or a plain labelled file with its own text (id, text, label = bug / feature / other or a category, optional rating, priority)",
    )
    .option("--reviews <file>", "app reviews file (default: app_store_reviews.csv beside the labels)")
    .option("--emails <file>", "support e-mails file (default: support_emails.csv beside the labels)")
    .addOption(new Option("--agents <crew>", "which crew to evaluate").choices(["offline", "claude", "hybrid"]))
    .option("--json", "print JSON")
    .action(
      async (
        expected: string,
        flags: { reviews?: string; emails?: string; agents?: string; json?: boolean },
        command: Command,
      ) => {
        const { runEvaluation, runPlainEvaluation, sourceFiles } = await import("../../app/eval/eval-service.js");
        const { isPlainLabelledFile } = await import("../../sdk/eval/plain-labelled.js");
        const { evaluationText, plainEvaluationText } = await import("../presenters/eval-presenter.js");
        if (await isPlainLabelledFile(expected)) {
          const config = commandConfig(loadConfig, command);
          const report = await withBackend(config, (backend) =>
            runPlainEvaluation(backend, expected, { agents: flags.agents, agentsConfig: config.agents }),
          );
          if (flags.json) printJson(PlainEvaluationReport, report);
          else printText(plainEvaluationText(report));
          return;
        }
        sourceFiles(expected, flags); // fail on a wrong path before opening the database
        const config = commandConfig(loadConfig, command);
        const report = await withBackend(config, (backend) =>
          runEvaluation(backend, expected, { ...flags, agentsConfig: config.agents }),
        );
        if (flags.json) {
          const { rowErrors, ...rest } = report;
          printJson(EvaluationReport.extend({ rejectedSourceRows: EvaluationReport.shape.evaluated }), {
            ...rest,
            rejectedSourceRows: rowErrors.length,
          });
        } else printText(evaluationText(report));
      },
    );
}
