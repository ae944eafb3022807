import type { Command } from "commander";
import { getStatus } from "../../app/status/status-service.js";
import { summaryOf } from "../command-list.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { printJson, printText } from "../io.js";
import { StatusJson } from "../output-schemas.js";
import { statusText } from "../presenters/ops-presenter.js";

export function registerStatusCommand(program: Command, loadConfig: LoadConfig): void {
  program
    .command("status")
    .description(summaryOf("status"))
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }, command: Command) => {
      const config = commandConfig(loadConfig, command);
      const status = await withBackend(config, (backend) => getStatus(backend, config));
      if (flags.json) printJson(StatusJson, status);
      else printText(statusText(status));
    });
}
