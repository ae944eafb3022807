import {
  compareDelivery,
  type DeliveryClaim,
  type DeliveryStore,
  type DeliveryToClaim,
} from "../../sdk/ports/deliveries.js";

/** A DeliveryStore in memory, for handler tests; it passes the same contract suite as the real adapters. */
export class MemoryDeliveryStore implements DeliveryStore {
  private readonly claimed = new Map<string, { sourceId: string | null; contentHash: string | null }>();

  async claim({ channel, deliveryId, sourceId, contentHash }: DeliveryToClaim): Promise<DeliveryClaim> {
    const remembered = this.claimed.get(`${channel}\n${deliveryId}`);
    if (remembered) return compareDelivery(remembered.contentHash, contentHash);
    this.claimed.set(`${channel}\n${deliveryId}`, { sourceId, contentHash });
    return "claimed";
  }

  async release(channel: string, deliveryId: string): Promise<void> {
    this.claimed.delete(`${channel}\n${deliveryId}`);
  }

  /** A delivery remembered as an older version of the store did, with no content hash. */
  rememberWithoutHash(channel: string, deliveryId: string): void {
    this.claimed.set(`${channel}\n${deliveryId}`, { sourceId: null, contentHash: null });
  }
}
