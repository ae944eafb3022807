import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DeliveryStore } from "../../../sdk/ports/deliveries.js";

export interface DeliveryStoreContractSubject {
  store: DeliveryStore;
  close(): Promise<void>;
}

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

    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
      id = `delivery-${randomUUID()}`;
    });
    afterEach(async () => subject?.close());

    it("accepts the first delivery of an id and refuses its redelivery", async () => {
      expect(await store.claim("zendesk", id, "zendesk:1")).toBe(true);
      expect(await store.claim("zendesk", id, "zendesk:1")).toBe(false);
    });

    it("lets exactly one of concurrent deliveries of one id through", async () => {
      const claims = await Promise.all(Array.from({ length: 5 }, () => store.claim("zendesk", id, "zendesk:1")));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it("keeps channels apart: one delivery id in two channels is two deliveries", async () => {
      expect(await store.claim("zendesk", id, "zendesk:1")).toBe(true);
      expect(await store.claim("intercom", id, null)).toBe(true);
    });

    it("accepts a released delivery again, so the sender's retry after a failed publish gets through", async () => {
      await store.claim("generic", id, `generic:${id}`);
      await store.release("generic", id);
      expect(await store.claim("generic", id, `generic:${id}`)).toBe(true);
    });

    it("releases only the delivery named", async () => {
      await store.claim("generic", id, null);
      await store.claim("zendesk", id, null);
      await store.release("generic", id);
      expect(await store.claim("zendesk", id, null)).toBe(false);
    });

    it("treats the release of a delivery never claimed as nothing to do", async () => {
      await expect(store.release("generic", id)).resolves.toBeUndefined();
      expect(await store.claim("generic", id, null)).toBe(true);
    });
  });
}
