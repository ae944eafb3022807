import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DeliveryStore } from "../../../sdk/ports/deliveries.js";

export interface DeliveryStoreContractSubject {
  store: DeliveryStore;
  /** Writes a delivery as the store did before it kept content hashes (an existing row or item). */
  rememberWithoutHash(channel: string, deliveryId: string): Promise<void>;
  close(): Promise<void>;
}

const A = "a".repeat(64);
const B = "b".repeat(64);

/**
 * What the webhook handler relies on, written against the port only, so the local table, DynamoDB and the
 * test double pass the same suite. Delivery ids are fresh per case, so subjects may share their storage.
 */
export function describeDeliveryStoreContract(
  name: string,
  factory: () => Promise<DeliveryStoreContractSubject>,
): void {
  describe(`DeliveryStore contract: ${name}`, () => {
    let subject: DeliveryStoreContractSubject;
    let store: DeliveryStore;
    let id: string;
    const claim = (channel: string, deliveryId: string, sourceId: string | null, contentHash: string) =>
      store.claim({ channel, deliveryId, sourceId, contentHash });

    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
      id = `delivery-${randomUUID()}`;
    });
    afterEach(async () => subject?.close());

    it("accepts the first delivery of an id and calls its redelivery with the same content a duplicate", async () => {
      expect(await claim("zendesk", id, "zendesk:1", A)).toBe("claimed");
      expect(await claim("zendesk", id, "zendesk:1", A)).toBe("duplicate");
    });

    it("calls an id delivered again with different content a conflict, and keeps the first content", async () => {
      expect(await claim("zendesk", id, "zendesk:1", A)).toBe("claimed");
      expect(await claim("zendesk", id, "zendesk:1", B)).toBe("conflict");
      expect(await claim("zendesk", id, "zendesk:1", A)).toBe("duplicate");
    });

    it("calls a delivery remembered without a hash (from before hashes were kept) a duplicate, never a conflict", async () => {
      await subject.rememberWithoutHash("zendesk", id);
      expect(await claim("zendesk", id, "zendesk:1", A)).toBe("duplicate");
      expect(await claim("zendesk", id, "zendesk:1", B)).toBe("duplicate");
    });

    it("lets exactly one of concurrent deliveries of one id through", async () => {
      const claims = await Promise.all(Array.from({ length: 5 }, () => claim("zendesk", id, "zendesk:1", A)));
      expect(claims.filter((c) => c === "claimed")).toHaveLength(1);
      expect(claims.filter((c) => c === "duplicate")).toHaveLength(4);
    });

    it("keeps channels apart: one delivery id in two channels is two deliveries", async () => {
      expect(await claim("zendesk", id, "zendesk:1", A)).toBe("claimed");
      expect(await claim("intercom", id, null, B)).toBe("claimed");
    });

    it("accepts a released delivery again, so the sender's retry after a failed publish gets through", async () => {
      await claim("generic", id, `generic:${id}`, A);
      await store.release("generic", id);
      expect(await claim("generic", id, `generic:${id}`, B)).toBe("claimed");
    });

    it("releases only the delivery named", async () => {
      await claim("generic", id, null, A);
      await claim("zendesk", id, null, A);
      await store.release("generic", id);
      expect(await claim("zendesk", id, null, A)).toBe("duplicate");
    });

    it("treats the release of a delivery never claimed as nothing to do", async () => {
      await expect(store.release("generic", id)).resolves.toBeUndefined();
      expect(await claim("generic", id, null, A)).toBe("claimed");
    });
  });
}
