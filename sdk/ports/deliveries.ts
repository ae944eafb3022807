/**
 * Remembers webhook deliveries already accepted so a redelivery (same sender delivery id) makes no
 * second item. `claim` is atomic: of two concurrent deliveries of one id, exactly one gets `true`.
 * A claim whose publish then failed is `release`d, so the sender's retry is accepted.
 */
export interface DeliveryStore {
  claim(channel: string, deliveryId: string, sourceId: string | null): Promise<boolean>;
  release(channel: string, deliveryId: string): Promise<void>;
}
