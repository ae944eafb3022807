import type { Command } from "commander";
import { listDeliveries, replayDeliveries } from "../../app/integrations/integrations-service.js";
import type { DeliveryStatus } from "../../sdk/ports/integrations.js";
import { summaryOf } from "../command-list.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { printJson, printText, terminalColumns } from "../io.js";
import { IntegrationDeliveriesJson, IntegrationReplayJson } from "../output-schemas.js";
import { parseDeliveryStatuses, parsePositiveInt } from "../parse-options.js";
import { deliveriesText, replayDeliveriesText } from "../presenters/integrations-presenter.js";

export function registerIntegrationsCommands(program: Command, loadConfig: LoadConfig): void {
  const integrations = program.command("integrations").description(summaryOf("integrations"));
  integrations
    .command("deliveries")
    .description("List outbound webhook deliveries, newest first: status, attempts, next attempt, last error")
    .option("--status <status>", "only pending, delivered or failed ones", parseDeliveryStatuses)
    .option("--limit <n>", "how many", parsePositiveInt("--limit", 10_000), 100)
    .option("--json", "print JSON")
    .action(async (flags: { status?: DeliveryStatus[]; limit: number; json?: boolean }, command: Command) => {
      const deliveries = await withBackend(commandConfig(loadConfig, command), (backend) =>
        listDeliveries(backend, { status: flags.status?.at(-1), limit: flags.limit }),
      );
      if (flags.json) printJson(IntegrationDeliveriesJson, deliveries);
      else printText(deliveriesText(deliveries, terminalColumns()));
    });
  integrations
    .command("replay")
    .description("Deliver again (same event, same webhook-id): the given deliveries, or every failed one")
    .argument("[deliveryIds...]", "delivery ids, as 'integrations deliveries' lists them")
    .option("--failed", "replay every failed delivery")
    .option("--json", "print JSON")
    .action(async (ids: string[], flags: { failed?: boolean; json?: boolean }, command: Command) => {
      const result = await withBackend(commandConfig(loadConfig, command), (backend) =>
        replayDeliveries(backend, { ids, failed: flags.failed }),
      );
      if (flags.json) printJson(IntegrationReplayJson, result);
      else printText(replayDeliveriesText(result));
      if (result.notFound.length > 0) process.exitCode = 1;
    });
}
