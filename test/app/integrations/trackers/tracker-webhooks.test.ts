import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { secretResolver } from "../../../../app/integrations/secrets.js";
import {
  handleTrackerWebhook,
  trackerEventsDestination,
} from "../../../../app/integrations/trackers/tracker-webhooks.js";
import type { DestinationKind } from "../../../../sdk/ports/integrations.js";
import { insertTickets } from "../../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../../support/backend.js";
import { makeNewTicket } from "../../../support/factories.js";
import { makeDestination } from "../../../support/integration-factories.js";

const HOOK_SECRET = "tracker-hook-secret";
const hmac = (body: string, secret = HOOK_SECRET) => createHmac("sha256", secret).update(body).digest("hex");

const SETTINGS: Record<string, Record<string, unknown>> = {
  github: { repository: "acme/notes" },
  linear: { teamId: "team-1" },
  jira: { project: "FT", email: "bot@example.com" },
};

describe("tracker webhooks (two-way status sync)", () => {
  let t: TestBackend;
  let ticketId: string;
  beforeEach(async () => {
    t = await openTestBackend();
    const ticket = makeNewTicket({ status: "open" });
    ticketId = ticket.id;
    await insertTickets(t.db.sql, [ticket]);
  });
  afterEach(() => t.close());

  /** A tracker destination whose issue `externalId` is linked to the ticket, in `state`. */
  const linked = async (kind: DestinationKind, externalId: string, state: "open" | "closed" = "open") => {
    await t.backend.integrations.saveDestination(
      makeDestination({
        name: kind,
        kind,
        secretRef: "env:TOKEN",
        settings: { ...SETTINGS[kind], webhookSecretRef: "env:HOOK_SECRET" },
      }),
    );
    await t.backend.integrations.saveLink({
      destination: kind,
      ticketId,
      externalId,
      externalKey: `KEY-${externalId}`,
      url: `https://tracker.example/${externalId}`,
      externalState: state,
    });
  };
  const deliver = (destination: string, body: string, headers: Record<string, string>) =>
    handleTrackerWebhook(
      { backend: t.backend, secrets: secretResolver({ HOOK_SECRET }) },
      { destination, headers, body: Buffer.from(body) },
    );
  const github = (action: "closed" | "reopened", signature = `sha256=${hmac(githubBody(action))}`) =>
    deliver("github", githubBody(action), { "x-github-event": "issues", "x-hub-signature-256": signature });
  const githubBody = (action: "closed" | "reopened") =>
    JSON.stringify({ action, issue: { number: 42, state: action === "closed" ? "closed" : "open" } });
  const ticket = async () => (await t.backend.tickets.get(ticketId))!;

  it("closes the ticket when its GitHub issue is closed, with history naming the integration", async () => {
    await linked("github", "42");
    const answer = await github("closed");
    expect(answer).toMatchObject({ statusCode: 200, body: { result: "closed", ticketId } });
    const closed = await ticket();
    expect(closed.status).toBe("closed");
    expect(closed.history.at(-1)).toMatchObject({
      actor: "integration:github",
      reason: "KEY-42 closed in github",
      after: { status: "closed" },
    });
    expect((await t.backend.integrations.linkOf("github", ticketId))?.externalState).toBe("closed");
  });

  it("reopens a closed ticket when its GitHub issue is reopened", async () => {
    await linked("github", "42");
    await github("closed");
    expect(await github("reopened")).toMatchObject({ statusCode: 200, body: { result: "reopened" } });
    expect((await ticket()).status).toBe("open");
  });

  it("refuses a GitHub event with a wrong or missing signature (401) and leaves the ticket as it was", async () => {
    await linked("github", "42");
    expect(await github("closed", `sha256=${hmac(githubBody("closed"), "not-the-secret")}`)).toMatchObject({
      statusCode: 401,
      body: { error: "bad_signature" },
    });
    expect(await deliver("github", githubBody("closed"), { "x-github-event": "issues" })).toMatchObject({
      statusCode: 401,
    });
    expect((await ticket()).status).toBe("open");
  });

  it("ignores the echo of our own change: the link already has the issue's new state", async () => {
    await linked("github", "42", "closed");
    expect(await github("closed")).toMatchObject({ statusCode: 200, body: { result: "ignored" } });
    const unchanged = await ticket();
    expect(unchanged.status).toBe("open");
    expect(unchanged.history).toHaveLength(0);
  });

  it("ignores events of issues no ticket is linked to, and events that change no state", async () => {
    await linked("github", "7");
    expect(await github("closed")).toMatchObject({ statusCode: 200, body: { result: "ignored" } });
    const labeled = JSON.stringify({ action: "labeled", issue: { number: 7, state: "open" } });
    expect(
      await deliver("github", labeled, {
        "x-github-event": "issues",
        "x-hub-signature-256": `sha256=${hmac(labeled)}`,
      }),
    ).toMatchObject({ statusCode: 200, body: { result: "ignored" } });
  });

  it("answers 404 for a destination that is not a tracker, or has no webhook secret to check with", async () => {
    await t.backend.integrations.saveDestination(makeDestination({ name: "team-hook" }));
    expect(await deliver("team-hook", "{}", {})).toMatchObject({ statusCode: 404 });
    await t.backend.integrations.saveDestination(
      makeDestination({ name: "bare", kind: "github", settings: SETTINGS.github }),
    );
    expect(await deliver("bare", "{}", {})).toMatchObject({ statusCode: 404, body: { error: "not_configured" } });
  });

  it("closes the ticket when its Linear issue moves to a completed state (Linear-Signature)", async () => {
    await linked("linear", "issue-uuid-1");
    const body = JSON.stringify({
      action: "update",
      type: "Issue",
      data: { id: "issue-uuid-1", identifier: "ENG-7", state: { type: "completed", name: "Done" } },
      webhookTimestamp: Date.now(),
    });
    expect(await deliver("linear", body, { "linear-signature": hmac(body) })).toMatchObject({
      statusCode: 200,
      body: { result: "closed" },
    });
    expect((await ticket()).history.at(-1)).toMatchObject({ actor: "integration:linear" });
  });

  it("refuses a Linear event sent more than five minutes ago (a replay)", async () => {
    await linked("linear", "issue-uuid-1");
    const body = JSON.stringify({
      action: "update",
      type: "Issue",
      data: { id: "issue-uuid-1", state: { type: "completed" } },
      webhookTimestamp: Date.now() - 10 * 60_000,
    });
    expect(await deliver("linear", body, { "linear-signature": hmac(body) })).toMatchObject({ statusCode: 401 });
    expect((await ticket()).status).toBe("open");
  });

  it("closes the ticket when its Jira issue reaches a done status (X-Hub-Signature)", async () => {
    await linked("jira", "10042");
    const body = JSON.stringify({
      webhookEvent: "jira:issue_updated",
      issue: { id: "10042", key: "FT-12", fields: { status: { name: "Done", statusCategory: { key: "done" } } } },
    });
    expect(await deliver("jira", body, { "x-hub-signature": `sha256=${hmac(body)}` })).toMatchObject({
      statusCode: 200,
      body: { result: "closed" },
    });
    expect((await ticket()).status).toBe("closed");
  });

  it("routes /integrations/<destination>/events, also behind a base path", () => {
    expect(trackerEventsDestination("/integrations/gh/events")).toBe("gh");
    expect(trackerEventsDestination("/prod/integrations/team_1/events?x=1")).toBe("team_1");
    expect(trackerEventsDestination("/webhooks/generic")).toBeNull();
  });
});
