import type { Command } from "commander";
import { getStatus } from "../../app/status/status-service.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { printJson, printText } from "../io.js";
import { StatusJson } from "../output-schemas.js";
import { statusText } from "../presenters/ops-presenter.js";

export function registerStatusCommand(program: Command, loadConfig: LoadConfig): void {
  program
    .command("status")
    .description("Which backend this talks to, queue and DLQ depth, tickets by priority and category")
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }, command: Command) => {
      const config = commandConfig(loadConfig, command);
      const status = await withBackend(config, (backend) => getStatus(backend, config));
      if (flags.json) printJson(StatusJson, status);
      else printText(statusText(status));
    });
}
