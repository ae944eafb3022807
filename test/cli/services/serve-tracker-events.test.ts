import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RunningServe, startServe } from "../../../cli/services/serve-service.js";
import { loadRuntimeConfig } from "../../../sdk/config/runtime.js";
import { ConfigurationError } from "../../../sdk/errors.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeNewTicket } from "../../support/factories.js";
import { makeDestination } from "../../support/integration-factories.js";

describe("serve: tracker webhooks at POST /integrations/<destination>/events", () => {
  let t: TestBackend;
  let serve: RunningServe;
  const ticket = makeNewTicket({ status: "open" });
  beforeEach(async () => {
    t = await openTestBackend();
    await insertTickets(t.db.sql, [ticket]);
    await t.backend.integrations.saveDestination(
      makeDestination({
        name: "gh",
        kind: "github",
        secretRef: "env:GH_TOKEN",
        settings: { repository: "acme/notes", webhookSecretRef: "env:GH_HOOK_SECRET" },
      }),
    );
    await t.backend.integrations.saveLink({
      destination: "gh",
      ticketId: ticket.id,
      externalId: "42",
      externalKey: "#42",
      url: "https://github.com/acme/notes/issues/42",
      externalState: "open",
    });
    serve = await startServe(t.backend, {
      host: "127.0.0.1",
      port: 0,
      // No feedback sender's secret: the tracker's webhook secret is enough to serve.
      secrets: {},
      worker: false,
      config: loadRuntimeConfig({ GH_HOOK_SECRET: "hook-secret", FEEDBACK_LOG_LEVEL: "error" }),
    });
  });
  afterEach(async () => {
    await serve.close();
    await t.close();
  });

  const post = (body: string, secret: string) =>
    fetch(`${serve.url}/integrations/gh/events`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "issues",
        "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
      },
      body,
    });
  const closed = JSON.stringify({ action: "closed", issue: { number: 42, state: "closed" } });

  it("starts with only a tracker destination's webhook secret, and says which trackers it takes", async () => {
    expect(serve.trackers).toEqual(["gh"]);
    expect(serve.enabled).toEqual([]);
  });

  it("closes the linked ticket when GitHub's signed event says the issue was closed", async () => {
    const answer = await post(closed, "hook-secret");
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ result: "closed", ticketId: ticket.id });
    expect((await t.backend.tickets.get(ticket.id))?.history.at(-1)).toMatchObject({ actor: "integration:gh" });
  });

  it("refuses a forged event with 401", async () => {
    const answer = await post(closed, "not-the-secret");
    expect(answer.status).toBe(401);
    expect((await t.backend.tickets.get(ticket.id))?.status).toBe("open");
  });
});

describe("serve without anything to verify", () => {
  it("refuses to start when no sender's secret is set and no tracker destination has a webhook secret", async () => {
    const t = await openTestBackend();
    await t.backend.integrations.saveDestination(
      makeDestination({ name: "gh", kind: "github", settings: { repository: "acme/notes" } }),
    );
    const starting = startServe(t.backend, {
      host: "127.0.0.1",
      port: 0,
      secrets: {},
      worker: false,
      config: loadRuntimeConfig({ FEEDBACK_LOG_LEVEL: "error" }),
    });
    await expect(starting).rejects.toBeInstanceOf(ConfigurationError);
    await expect(starting).rejects.toThrow(/no tracker destination has a webhookSecretRef/);
    await t.close();
  });
});
