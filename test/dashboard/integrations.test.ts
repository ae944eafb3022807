import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretResolver } from "../../app/integrations/secrets.js";
import type { Backend } from "../../sdk/backend.js";
import { insertTickets } from "../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../support/backend.js";
import { makeNewTicket } from "../support/factories.js";
import { makeDestination, TEST_WEBHOOK_SECRET } from "../support/integration-factories.js";
import { WebhookReceiver } from "../support/webhook-receiver.js";
import { Client, redirectOf } from "./client.js";
import { localDashboardApp } from "./support.js";

describe("dashboard Integrations page", () => {
  let t: TestBackend;
  let backend: Backend;
  let receiver: WebhookReceiver;
  let client: Client;

  beforeAll(async () => {
    [t, receiver] = await Promise.all([openTestBackend(), WebhookReceiver.start()]);
    backend = t.backend;
    const app = localDashboardApp(backend, undefined, { secrets: secretResolver({ TEST_WEBHOOK_SECRET }) });
    client = new Client(app);
    await client.session();
  });
  afterAll(async () => {
    await Promise.all([t.close(), receiver.close()]);
  });

  const html = async (url: string) => {
    const response = await client.request(url);
    expect(response.status).toBe(200);
    return response.text();
  };
  const destination = async (name: string) => (await backend.integrations.destinations()).find((d) => d.name === name);

  it("adds a webhook from the form, the secret by reference only, and lists it with its last deliveries", async () => {
    const response = await client.postForm("/integrations", {
      name: "team-hook",
      kind: "webhook",
      url: receiver.url,
      secretRef: "env:TEST_WEBHOOK_SECRET",
      events: ["ticket.created", "ticket.updated"],
      enabled: "1",
    });
    expect(redirectOf(response).location).toBe("/integrations?notice=integration&name=team-hook");
    expect(await destination("team-hook")).toMatchObject({
      kind: "webhook",
      secretRef: "env:TEST_WEBHOOK_SECRET",
      events: ["ticket.created", "ticket.updated"],
      enabled: true,
    });
    await insertTickets(t.db.sql, [makeNewTicket()]);
    const page = await html("/integrations?notice=integration&name=team-hook");
    expect(page).toContain("Destination team-hook saved");
    expect(page).toMatch(/<tr data-destination="team-hook">[\s\S]*pending · ticket.created/);
  });

  it("refuses a secret given as a value instead of a reference, keeping what was typed", async () => {
    const response = await client.postForm("/integrations", {
      name: "leaky",
      kind: "webhook",
      url: "https://example.com/hook",
      secretRef: "whsec_c2VjcmV0",
      events: "ticket.created",
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain("use &quot;env:NAME&quot; or &quot;file:/path&quot;");
    expect(page).toContain('value="https://example.com/hook"');
    expect(await destination("leaky")).toBeUndefined();
  });

  it("adds a Slack destination with its settings and edits it, keeping settings the form does not show", async () => {
    await client.postForm("/integrations", {
      name: "oncall",
      kind: "slack",
      url: "https://example.slack.com/archives/C0123",
      secretRef: "env:SLACK_WEBHOOK_URL",
      events: ["ticket.created", "ticket.updated"],
      intervalSeconds: "120",
      dashboardUrl: "https://feedback.example.com",
      enabled: "1",
    });
    const saved = await destination("oncall");
    await backend.integrations.saveDestination({ ...saved!, settings: { ...saved!.settings, note: "kept" } });
    const form = await html("/integrations?edit=oncall");
    expect(form).toContain('value="120"');
    expect(form).toContain("Edit oncall");
    await client.postForm("/integrations", {
      name: "oncall",
      kind: "slack",
      url: "https://example.slack.com/archives/C0123",
      secretRef: "env:SLACK_WEBHOOK_URL",
      events: "ticket.created",
      dlqGrowth: "5",
      enabled: "1",
    });
    expect((await destination("oncall"))!.settings).toEqual({ dlqGrowth: 5, note: "kept" });
  });

  it("adds a GitHub tracker with its settings as JSON, checked as the CLI checks them, and shows them to edit", async () => {
    const response = await client.postForm("/integrations", {
      name: "gh",
      kind: "github",
      url: "https://api.github.com",
      secretRef: "env:GITHUB_TOKEN",
      events: ["ticket.created", "ticket.updated"],
      trackerSettings: '{"repository": "acme/notes", "rules": [{"priorities": ["Critical"]}]}',
      enabled: "1",
    });
    expect(redirectOf(response).location).toBe("/integrations?notice=integration&name=gh");
    expect(await destination("gh")).toMatchObject({
      kind: "github",
      secretRef: "env:GITHUB_TOKEN",
      settings: { repository: "acme/notes", rules: [{ priorities: ["Critical"] }] },
    });
    const page = await html("/integrations?edit=gh");
    expect(page).toContain("&quot;repository&quot;: &quot;acme/notes&quot;");
    expect(page).toMatch(/<option value="github" selected/);
  });

  it("refuses tracker settings that are not JSON or miss what the kind needs, keeping what was typed", async () => {
    const post = (trackerSettings: string) =>
      client.postForm("/integrations", {
        name: "gh-broken",
        kind: "github",
        url: "https://api.github.com",
        secretRef: "env:GITHUB_TOKEN",
        events: "ticket.created",
        trackerSettings,
      });
    const notJson = await post("{repository: acme/notes");
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).toContain("Tracker settings are not JSON");
    const incomplete = await post("{}");
    expect(incomplete.status).toBe(400);
    expect(await incomplete.text()).toMatch(/Not saved: Invalid github settings:[^<]*repository/);
    expect(await destination("gh-broken")).toBeUndefined();
  });

  it("disables and enables a destination", async () => {
    await backend.integrations.saveDestination(makeDestination({ name: "audit", url: receiver.url }));
    const off = await client.postForm("/integrations/audit/enabled", { enabled: "0" });
    expect(redirectOf(off).query).toEqual({ notice: "integration-off", name: "audit" });
    expect((await destination("audit"))!.enabled).toBe(false);
    await client.postForm("/integrations/audit/enabled", { enabled: "1" });
    expect((await destination("audit"))!.enabled).toBe(true);
  });

  it("tests a destination with the same use case as the CLI: a signed ping, its outcome on the page", async () => {
    await backend.integrations.saveDestination(makeDestination({ name: "pinged", url: receiver.url }));
    const before = receiver.requests.length;
    const ok = await client.postForm("/integrations/pinged/test", {});
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Test of pinged (webhook) passed: POST a signed ping event (HTTP 204)");
    expect(JSON.parse(receiver.requests[before]!.body)).toMatchObject({ type: "ping" });
    receiver.reply({ status: 401 });
    const refused = await (await client.postForm("/integrations/pinged/test", {})).text();
    expect(refused).toContain("Test of pinged (webhook) failed: POST a signed ping event: HTTP 401");
    expect(refused).toContain("The destination refused the secret at env:TEST_WEBHOOK_SECRET");
  });

  it("answers 404 for a destination that does not exist", async () => {
    expect((await client.postForm("/integrations/nope/test", {})).status).toBe(404);
    expect((await client.request("/integrations?edit=nope")).status).toBe(404);
  });
});
