import path from "node:path";
import type { Command } from "commander";
import { summaryOf } from "../command-list.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { printJson, printText } from "../io.js";
import { ImportLegacyJson } from "../output-schemas.js";
import { parseApp } from "../parse-options.js";

export function registerImportCommands(program: Command, loadConfig: LoadConfig): void {
  program
    .command("import")
    .description(summaryOf("import"))
    .command("legacy")
    .description(
      "Import the original system's ticket CSV (ticket_id, source_id, source_type, title, category, priority, description, technical_details, confidence, status, created_at); running it again writes nothing new",
    )
    .argument("<tickets.csv>", "the legacy ticket export")
    .option(
      "--app <name>",
      "the app the imported tickets' feedback is about (the legacy export names none); default: the configured defaultApp",
      parseApp("--app"),
    )
    .option("--dry-run", "check every row and count what would be imported; write nothing")
    .option("--json", "print the summary as JSON")
    .action(async (file: string, flags: { app?: string; dryRun?: boolean; json?: boolean }, command: Command) => {
      const { importLegacyTickets } = await import("../../app/import/legacy.js");
      const { legacyImportText } = await import("../presenters/import-presenter.js");
      const summary = await withBackend(commandConfig(loadConfig, command), (backend) =>
        importLegacyTickets(backend, path.resolve(file), { dryRun: flags.dryRun, app: flags.app }),
      );
      summary.file = file;
      for (const error of summary.errors) error.file = file;
      if (flags.json) printJson(ImportLegacyJson, summary);
      else printText(legacyImportText(summary));
    });
}
