import { z } from "zod";
import type { Backend } from "../../sdk/backend.js";
import { ValidationError } from "../../sdk/errors.js";
import {
  DESTINATION_KINDS,
  type DeliveryStatus,
  INTEGRATION_EVENT_TYPES,
  type IntegrationDestination,
} from "../../sdk/ports/integrations.js";
import { type DeliveryReplayResult, type DeliveryView, describeDelivery } from "./delivery-views.js";
import { isTrackerKind, parseTrackerSettings } from "./trackers/tracker-settings.js";

export async function listDeliveries(
  backend: Backend,
  options: { status?: DeliveryStatus; limit?: number } = {},
): Promise<DeliveryView[]> {
  const records = await backend.integrations.list({ status: options.status, limit: options.limit ?? 100 });
  return records.map(describeDelivery);
}

/** Makes deliveries due again with their attempts reset (same event, so the same webhook-id): by id, or every failed one. */
export async function replayDeliveries(
  backend: Backend,
  options: { ids?: readonly string[]; failed?: boolean },
): Promise<DeliveryReplayResult> {
  const ids = options.ids ?? [];
  if (options.failed && ids.length > 0) throw new ValidationError("Give delivery ids or --failed, not both");
  if (!options.failed && ids.length === 0) {
    throw new ValidationError("Say which deliveries to replay", {
      hint: "Give delivery ids, or --failed; 'feedback-cli integrations deliveries --status failed' lists them.",
    });
  }
  return backend.integrations.replay(options.failed ? { failed: true } : { ids });
}

/** A destination as an operator gives it: the secret by reference only, so it never reaches the database or a log. */
export const DestinationInput = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lower-case letters, digits, '-' and '_'"),
  kind: z.enum(DESTINATION_KINDS).default("webhook"),
  url: z.url({ protocol: /^https?$/ }),
  secretRef: z.string().regex(/^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)$/, 'use "env:NAME" or "file:/path"'),
  events: z
    .array(z.enum(INTEGRATION_EVENT_TYPES))
    .min(1)
    .default([...INTEGRATION_EVENT_TYPES]),
  enabled: z.boolean().default(true),
  settings: z.record(z.string(), z.unknown()).default({}),
});
export type DestinationInput = z.input<typeof DestinationInput>;

/** Adds a webhook destination, or changes the one of that name; events from then on are delivered to it. */
export async function saveDestination(backend: Backend, input: DestinationInput): Promise<IntegrationDestination> {
  const parsed = DestinationInput.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(`Invalid destination: ${z.prettifyError(parsed.error)}`);
  }
  refuseInvalidTrackerSettings(parsed.data);
  await backend.integrations.saveDestination(parsed.data);
  return parsed.data;
}

export async function listDestinations(backend: Backend): Promise<IntegrationDestination[]> {
  return backend.integrations.destinations();
}

/** A tracker's settings are checked when it is added, so a mistake is told now rather than at its first delivery. */
function refuseInvalidTrackerSettings(destination: IntegrationDestination): void {
  if (!isTrackerKind(destination.kind)) return;
  const checked = parseTrackerSettings(destination.kind, destination.settings);
  if (!checked.ok) {
    throw new ValidationError(checked.message, {
      hint: "Fix the destination's settings; docs/integrations.md#trackers lists those of each kind.",
    });
  }
}
