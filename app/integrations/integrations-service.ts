import type { Backend } from "../../sdk/backend.js";
import { ValidationError } from "../../sdk/errors.js";
import type { DeliveryStatus } from "../../sdk/ports/integrations.js";
import { type DeliveryReplayResult, type DeliveryView, describeDelivery } from "./delivery-views.js";

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
