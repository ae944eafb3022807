import type { IntegrationDestination } from "../../sdk/ports/integrations.js";

/** A Standard Webhooks secret for tests ("whsec_" + base64 of 24 bytes). */
export const TEST_WEBHOOK_SECRET = `whsec_${Buffer.from("feedback-triage-test-key").toString("base64")}`;

export function makeDestination(overrides: Partial<IntegrationDestination> = {}): IntegrationDestination {
  return {
    name: "team-hook",
    kind: "webhook",
    url: "http://127.0.0.1:9/hook",
    secretRef: "env:TEST_WEBHOOK_SECRET",
    events: ["ticket.created", "ticket.updated", "ticket.merged", "ticket.grouped"],
    enabled: true,
    settings: {},
    ...overrides,
  };
}
