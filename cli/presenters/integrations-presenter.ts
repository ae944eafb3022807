import type {
  IntegrationDeliveryJson,
  IntegrationDestinationJson,
  IntegrationReplayJson,
  IntegrationTestJson,
} from "../output-schemas.js";
import { safeText, table } from "./format.js";

/** The delivery log: newest first, with why a delivery is waiting or failed. */
export function deliveriesText(deliveries: IntegrationDeliveryJson[], columns?: number): string {
  if (deliveries.length === 0) return "No deliveries.";
  const rows = deliveries.map((d) => [
    d.id,
    d.type,
    d.destination,
    d.status,
    String(d.attempts),
    d.deliveredAt ?? d.nextAttemptAt ?? "",
    safeText(d.lastError ?? (d.lastStatus === null ? "" : `HTTP ${d.lastStatus}`)),
  ]);
  const shown = table(
    ["DELIVERY ID", "EVENT", "DESTINATION", "STATUS", "ATTEMPTS", "DELIVERED / NEXT", "LAST ERROR"],
    rows,
    {
      maxWidths: [36, 14, 20, 9, 8, 24],
      whole: [0],
      columns,
    },
  );
  return `${shown}\n${deliveries.length} deliveries. Replay with 'feedback-cli integrations replay <id...>' or '--failed'.`;
}

export function replayDeliveriesText(result: IntegrationReplayJson): string {
  const lines = [`Replayed ${result.replayed.length} deliveries: due now, attempts reset, same webhook-id.`];
  if (result.notFound.length > 0) lines.push(`Not found: ${result.notFound.join(", ")}`);
  return lines.join("\n");
}

export function destinationsText(destinations: IntegrationDestinationJson[], columns?: number): string {
  if (destinations.length === 0)
    return "No destinations. Add one with 'feedback-cli integrations add <name> --url <url> --secret env:NAME'.";
  const rows = destinations.map((d) => [
    d.name,
    d.kind,
    d.enabled ? "on" : "off",
    d.url,
    d.secretRef,
    d.events.join(", "),
  ]);
  return table(["NAME", "KIND", "STATE", "URL", "SECRET FROM", "EVENTS"], rows, {
    maxWidths: [24, 8, 5, 60, 30],
    whole: [0, 1],
    columns,
  });
}

/** `integrations test`: what was tried, how it went, and what to do when it failed. */
export function destinationTestText(result: IntegrationTestJson): string {
  const answer = result.status === null ? "" : ` (HTTP ${result.status})`;
  if (result.ok) return `${result.destination} (${result.kind}) works: ${result.action}${answer}.`;
  return [
    `${result.destination} (${result.kind}) failed: ${result.action}: ${safeText(result.error ?? "")}`,
    `Hint: ${result.hint}`,
  ].join("\n");
}
