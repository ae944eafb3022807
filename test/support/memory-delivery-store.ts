import type { DeliveryStore } from "../../sdk/ports/deliveries.js";

/** A DeliveryStore in memory, for handler tests; it passes the same contract suite as the real adapters. */
export class MemoryDeliveryStore implements DeliveryStore {
  private readonly claimed = new Map<string, string | null>();

  async claim(channel: string, deliveryId: string, sourceId: string | null): Promise<boolean> {
    const key = `${channel}\n${deliveryId}`;
    if (this.claimed.has(key)) return false;
    this.claimed.set(key, sourceId);
    return true;
  }

  async release(channel: string, deliveryId: string): Promise<void> {
    this.claimed.delete(`${channel}\n${deliveryId}`);
  }
}
