import type { Command } from "commander";
import {
  listDeliveries,
  listDestinations,
  replayDeliveries,
  saveDestination,
} from "../../app/integrations/integrations-service.js";
import { secretResolver } from "../../app/integrations/secrets.js";
import { testDestination } from "../../app/integrations/test-destination.js";
import { DEFAULT_TRACKER_URLS, isTrackerKind } from "../../app/integrations/trackers/tracker-settings.js";
import {
  DESTINATION_KINDS,
  type DeliveryStatus,
  type DestinationKind,
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
import { parseDeliveryStatuses, parseDestinationKind, parseJsonSettings, parsePositiveInt } from "../parse-options.js";
import {
  deliveriesText,
  destinationsText,
  destinationTestText,
  replayDeliveriesText,
} from "../presenters/integrations-presenter.js";

/** A Slack destination's URL is only shown: the incoming-webhook URL is the credential, read from --secret. */
const SLACK_DISPLAY_URL = "https://hooks.slack.com";

export function registerIntegrationsCommands(program: Command, loadConfig: LoadConfig): void {
  const integrations = program.command("integrations").description(summaryOf("integrations"));
  integrations
    .command("add")
    .description(
      "Add a destination (or change the one of that name): a signed webhook, an issue tracker (--kind github|linear|jira) or Slack alerts (--kind slack); ticket events are delivered to it from then on",
    )
    .argument("<name>", "what to call it, e.g. team-hook")
    .option("--kind <kind>", `${DESTINATION_KINDS.join(", ")}`, parseDestinationKind, "webhook")
    .option(
      "--url <url>",
      "where to POST the signed events; a tracker's API base (default: GitHub's, Linear's; Jira: https://<site>.atlassian.net)",
    )
    .requiredOption(
      "--secret <ref>",
      "where the secret is read: env:NAME or file:/path (never the secret): a webhook's \"whsec_\" signing secret, a tracker's token, Slack's incoming-webhook URL",
    )
    .option(
      "--settings <json>",
      "the kind's settings as JSON, or @file (see docs/integrations.md#trackers)",
      parseJsonSettings,
    )
    .option("--events <types>", `comma-separated: ${INTEGRATION_EVENT_TYPES.join(", ")} (default: all)`)
    .option("--disabled", "add it switched off")
    .option("--json", "print JSON")
    .action(
      async (
        name: string,
        flags: {
          kind: DestinationKind;
          url?: string;
          secret: string;
          settings?: Record<string, unknown>;
          events?: string;
          disabled?: boolean;
          json?: boolean;
        },
        command: Command,
      ) => {
        const url =
          flags.url ??
          (isTrackerKind(flags.kind)
            ? DEFAULT_TRACKER_URLS[flags.kind]
            : flags.kind === "slack"
              ? SLACK_DISPLAY_URL
              : undefined);
        if (!url) command.error(`error: --url is required for a ${flags.kind} destination`, { exitCode: 2 });
        const events = flags.events?.split(",").map((e) => e.trim()) as IntegrationEventType[] | undefined;
        const saved = await withBackend(commandConfig(loadConfig, command), (backend) =>
          saveDestination(backend, {
            name,
            kind: flags.kind,
            url,
            secretRef: flags.secret,
            settings: flags.settings,
            events,
            enabled: !flags.disabled,
          }),
        );
        if (flags.json) printJson(IntegrationDestinationsJson, [saved]);
        else printText(destinationsText([saved]));
      },
    );
  integrations
    .command("list")
    .description("List the destinations: kind, URL, where the secret is read, events, on or off")
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
