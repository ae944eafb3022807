import type { IntegrationDeliveryJson, IntegrationReplayJson } from "../output-schemas.js";
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
