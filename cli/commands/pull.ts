import type { Command } from "commander";
import { pullSources } from "../../app/pulls/pull-service.js";
import { pullSummaryJson } from "../../app/pulls/pull-summary.js";
import { summaryOf } from "../command-list.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { printJson, printText } from "../io.js";
import { PullJson } from "../output-schemas.js";
import { parsePositiveInt, parseStorableText } from "../parse-options.js";
import { pullText } from "../presenters/pull-presenter.js";

interface PullFlags {
  app?: string;
  maxPages?: number;
  json?: boolean;
}

/** `pull`: every configured store source (or one), through app/pulls; exit 1 when a source failed. */
export function registerPullCommand(program: Command, loadConfig: LoadConfig): void {
  program
    .command("pull")
    .description(summaryOf("pull"))
    .option(
      "--app <name>",
      "only the source of this name, or the sources of this app id / package name",
      parseStorableText("--app"),
    )
    .option(
      "--max-pages <n>",
      "read at most this many pages per source; the next pull carries on",
      parsePositiveInt("--max-pages", 100_000),
    )
    .option("--json", "print JSON")
    .action(async (flags: PullFlags, command: Command) => {
      const config = commandConfig(loadConfig, command);
      const summary = await withBackend(config, (backend) =>
        pullSources(backend, { app: flags.app, maxPages: flags.maxPages, connector: { env: config.credentialEnv } }),
      );
      const json = pullSummaryJson(summary);
      if (flags.json) printJson(PullJson, json);
      else printText(pullText(json));
      if (summary.totals.failed > 0) process.exitCode = 1;
    });
}
