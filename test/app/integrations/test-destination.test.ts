import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { secretResolver } from "../../../app/integrations/secrets.js";
import { testDestination } from "../../../app/integrations/test-destination.js";
import type { IntegrationDestination } from "../../../sdk/ports/integrations.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeDestination, TEST_WEBHOOK_SECRET } from "../../support/integration-factories.js";
import { WebhookReceiver } from "../../support/webhook-receiver.js";

describe("testing a destination (integrations test, the dashboard's Test button)", () => {
  let t: TestBackend;
  let server: WebhookReceiver;
  beforeEach(async () => {
    [t, server] = await Promise.all([openTestBackend(), WebhookReceiver.start()]);
  });
  afterEach(async () => {
    await Promise.all([t.close(), server.close()]);
  });

  const base = () => server.url.replace(/\/hook$/, "");
  const env = () => ({ TEST_WEBHOOK_SECRET, SLACK_URL: server.url, TRACKER_TOKEN: "tok_123" });
  const test = async (overrides: Partial<IntegrationDestination>, timeoutMs = 2_000) => {
    const destination = makeDestination(overrides);
    await t.backend.integrations.saveDestination(destination);
    return testDestination(t.backend, destination.name, { secrets: secretResolver(env()), timeoutMs });
  };
  const request = () => server.requests[0]!;

  it("sends a webhook a signed ping event that standardwebhooks verifies", async () => {
    const result = await test({ url: server.url });
    expect(result).toMatchObject({ ok: true, status: 204, kind: "webhook" });
    const payload = new Webhook(TEST_WEBHOOK_SECRET).verify(
      request().body,
      request().headers as Record<string, string>,
    );
    expect(payload).toMatchObject({ type: "ping", data: { destination: "team-hook" } });
  });

  it("posts Slack a test message to the incoming-webhook URL its secret holds", async () => {
    const result = await test({ kind: "slack", url: "#oncall", secretRef: "env:SLACK_URL", name: "oncall" });
    expect(result).toMatchObject({ ok: true, kind: "slack" });
    expect(JSON.parse(request().body).text).toContain("the destination oncall reaches this channel");
  });

  it("reads the GitHub repository with the token", async () => {
    const result = await test({
      kind: "github",
      url: base(),
      secretRef: "env:TRACKER_TOKEN",
      settings: { repository: "acme/app" },
    });
    expect(result).toMatchObject({ ok: true, kind: "github", status: 204 });
    expect(request()).toMatchObject({ method: "GET", path: "/repos/acme/app" });
    expect(request().headers.authorization).toBe("Bearer tok_123");
  });

  it("asks Linear for the viewer, and reports a GraphQL error answered with 200", async () => {
    server.reply({ status: 200, body: '{"data":{"viewer":{"id":"u1"}}}' });
    server.reply({ status: 200, body: '{"errors":[{"message":"Authentication required"}]}' });
    const linear = { kind: "linear" as const, url: base(), secretRef: "env:TRACKER_TOKEN", name: "eng" };
    expect(await test(linear)).toMatchObject({ ok: true, kind: "linear" });
    expect(request()).toMatchObject({ method: "POST", path: "/graphql" });
    expect(JSON.parse(request().body)).toEqual({ query: "{ viewer { id } }" });
    expect(request().headers.authorization).toBe("tok_123");
    expect(await test(linear)).toMatchObject({ ok: false, error: "Authentication required" });
  });

  it("reads the Jira account with basic auth (e-mail and API token)", async () => {
    const result = await test({
      kind: "jira",
      url: base(),
      secretRef: "env:TRACKER_TOKEN",
      settings: { email: "ops@example.com" },
    });
    expect(result).toMatchObject({ ok: true, kind: "jira" });
    expect(request()).toMatchObject({ method: "GET", path: "/rest/api/3/myself" });
    const expected = `Basic ${Buffer.from("ops@example.com:tok_123").toString("base64")}`;
    expect(request().headers.authorization).toBe(expected);
  });

  it("fails with a hint naming the secret when the token is refused", async () => {
    server.reply({ status: 401 });
    const result = await test({
      kind: "github",
      url: base(),
      secretRef: "env:TRACKER_TOKEN",
      settings: { repository: "acme/app" },
    });
    expect(result).toMatchObject({ ok: false, status: 401, error: "HTTP 401" });
    expect(result.hint).toContain("env:TRACKER_TOKEN");
  });

  it("fails with a hint when the secret is not where its reference points", async () => {
    const result = await test({ url: server.url, secretRef: "env:MISSING" });
    expect(result).toMatchObject({ ok: false, error: "No secret at env:MISSING" });
    expect(result.hint).toContain("env:MISSING");
    expect(server.requests).toHaveLength(0);
  });

  it("fails when the destination does not answer in time", async () => {
    server.reply("hang");
    const result = await test({ url: server.url }, 200);
    expect(result).toMatchObject({ ok: false, status: null, error: "timed out after 200 ms" });
  });

  it("fails without a request when a tracker's settings lack what the read needs", async () => {
    const result = await test({ kind: "github", url: base(), secretRef: "env:TRACKER_TOKEN" });
    expect(result).toMatchObject({ ok: false, error: 'settings.repository is missing or not "owner/name"' });
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a name that is not a destination", async () => {
    await expect(testDestination(t.backend, "nope", { secrets: secretResolver({}) })).rejects.toThrow(
      "No destination named nope",
    );
  });
});
