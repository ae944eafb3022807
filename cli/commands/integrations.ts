import type { Command } from "commander";
import {
  listDeliveries,
  listDestinations,
  replayDeliveries,
  saveDestination,
} from "../../app/integrations/integrations-service.js";
import { secretResolver } from "../../app/integrations/secrets.js";
import { testDestination } from "../../app/integrations/test-destination.js";
import {
  type DeliveryStatus,
  INTEGRATION_EVENT_TYPES,
  type IntegrationEventType,
} from "../../sdk/ports/integrations.js";
import { summaryOf } from "../command-list.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { printJson, printText, terminalColumns } from "../io.js";
import {
  IntegrationDeliveriesJson,
  IntegrationDestinationsJson,
  IntegrationReplayJson,
  IntegrationTestJson,
} from "../output-schemas.js";
import { parseDeliveryStatuses, parsePositiveInt } from "../parse-options.js";
import {
  deliveriesText,
  destinationsText,
  destinationTestText,
  replayDeliveriesText,
} from "../presenters/integrations-presenter.js";

export function registerIntegrationsCommands(program: Command, loadConfig: LoadConfig): void {
  const integrations = program.command("integrations").description(summaryOf("integrations"));
  integrations
    .command("add")
    .description(
      "Add a webhook destination (or change the one of that name); ticket events are delivered to it from then on",
    )
    .argument("<name>", "what to call it, e.g. team-hook")
    .requiredOption("--url <url>", "where to POST the signed events")
    .requiredOption(
      "--secret <ref>",
      'where the "whsec_" signing secret is read: env:NAME or file:/path (never the secret)',
    )
    .option("--events <types>", `comma-separated: ${INTEGRATION_EVENT_TYPES.join(", ")} (default: all)`)
    .option("--disabled", "add it switched off")
    .option("--json", "print JSON")
    .action(
      async (
        name: string,
        flags: { url: string; secret: string; events?: string; disabled?: boolean; json?: boolean },
        command: Command,
      ) => {
        const events = flags.events?.split(",").map((e) => e.trim()) as IntegrationEventType[] | undefined;
        const saved = await withBackend(commandConfig(loadConfig, command), (backend) =>
          saveDestination(backend, { name, url: flags.url, secretRef: flags.secret, events, enabled: !flags.disabled }),
        );
        if (flags.json) printJson(IntegrationDestinationsJson, [saved]);
        else printText(destinationsText([saved]));
      },
    );
  integrations
    .command("list")
    .description("List the webhook destinations: URL, where the secret is read, events, on or off")
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }, command: Command) => {
      const destinations = await withBackend(commandConfig(loadConfig, command), listDestinations);
      if (flags.json) printJson(IntegrationDestinationsJson, destinations);
      else printText(destinationsText(destinations));
    });
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
  integrations
    .command("test")
    .description(
      "Check a destination end to end: a webhook gets a signed ping, Slack a test message, a tracker a read with its token",
    )
    .argument("<name>", "the destination, as 'integrations list' shows it")
    .option("--timeout <seconds>", "how long to wait for the answer", parsePositiveInt("--timeout", 300), 10)
    .option("--json", "print JSON")
    .action(async (name: string, flags: { timeout: number; json?: boolean }, command: Command) => {
      const config = commandConfig(loadConfig, command);
      const result = await withBackend(config, (backend) =>
        testDestination(backend, name, {
          secrets: secretResolver(config.credentialEnv),
          timeoutMs: flags.timeout * 1000,
        }),
      );
      if (flags.json) printJson(IntegrationTestJson, result);
      else printText(destinationTestText(result));
      if (!result.ok) process.exitCode = 1;
    });
}
