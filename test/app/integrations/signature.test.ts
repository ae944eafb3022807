import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signWebhook } from "../../../app/integrations/signature.js";
import { TEST_WEBHOOK_SECRET } from "../../support/integration-factories.js";

describe("Standard Webhooks signatures", () => {
  const body = JSON.stringify({ type: "ticket.created", timestamp: "2026-12-07T10:00:00.000Z", data: {} });

  it("verify with the standardwebhooks package", () => {
    const headers = signWebhook(TEST_WEBHOOK_SECRET, "evt-1", new Date(), body);
    expect(new Webhook(TEST_WEBHOOK_SECRET).verify(body, { ...headers })).toMatchObject({ type: "ticket.created" });
  });

  it("match the library's own signature of the same id, time and body", () => {
    const at = new Date("2026-12-07T10:00:00Z");
    expect(signWebhook(TEST_WEBHOOK_SECRET, "evt-1", at, body)["webhook-signature"]).toBe(
      new Webhook(TEST_WEBHOOK_SECRET).sign("evt-1", at, body),
    );
  });

  it("fail verification under another secret", () => {
    const headers = signWebhook(`whsec_${Buffer.from("another key").toString("base64")}`, "evt-1", new Date(), body);
    expect(() => new Webhook(TEST_WEBHOOK_SECRET).verify(body, { ...headers })).toThrow();
  });
});
