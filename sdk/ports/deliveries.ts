/**
 * What a claim found: the first delivery of an id (`claimed`), a redelivery of the same content
 * (`duplicate`: the sender's retry, answered without a second item), or the id already used for
 * different content (`conflict`: the sender reused an id, refused rather than dropped in silence).
 */
export type DeliveryClaim = "claimed" | "duplicate" | "conflict";

/** One delivery to claim: its sender's id within the channel, the item's source id, and its content's hash. */
export interface DeliveryToClaim {
  channel: string;
  deliveryId: string;
  sourceId: string | null;
  contentHash: string;
}

/**
 * Remembers webhook deliveries already accepted so a redelivery (same sender delivery id) makes no
 * second item. `claim` is atomic: of two concurrent deliveries of one id, exactly one is `claimed`.
 * `contentHash` fingerprints what was delivered; a delivery remembered without one (written before
 * hashes were kept) counts as a duplicate, never a conflict. A claim whose publish then failed is
 * `release`d, so the sender's retry is accepted.
 */
export interface DeliveryStore {
  claim(delivery: DeliveryToClaim): Promise<DeliveryClaim>;
  release(channel: string, deliveryId: string): Promise<void>;
}

/** How a remembered delivery compares with a new one of the same id. */
export function compareDelivery(rememberedHash: string | null | undefined, contentHash: string): DeliveryClaim {
  return rememberedHash === null || rememberedHash === undefined || rememberedHash === contentHash
    ? "duplicate"
    : "conflict";
}
