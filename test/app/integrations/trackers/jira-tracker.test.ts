import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DeliveryLoopOptions, deliverDue } from "../../../../app/integrations/delivery-loop.js";
import { jiraTicketLabel } from "../../../../app/integrations/trackers/jira.js";
import { trackerDeliverers } from "../../../../app/integrations/trackers/tracker-deliverer.js";
import type { NewTicket } from "../../../../sdk/ports/tickets.js";
import { insertTickets } from "../../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../../support/backend.js";
import { makeItem, makeNewTicket } from "../../../support/factories.js";
import { FakeTracker, fetchThatDies, jiraApi } from "../../../support/fake-trackers.js";
import { makeDestination } from "../../../support/integration-factories.js";

const EMAIL = "triage-bot@example.com";
const TOKEN = "jira-api-token";

describe("the Jira Cloud tracker", () => {
  let t: TestBackend;
  let jira: FakeTracker;
  let site: ReturnType<typeof jiraApi>;
  beforeEach(async () => {
    t = await openTestBackend();
    site = jiraApi({ email: EMAIL, token: TOKEN });
    jira = await FakeTracker.start(site.api);
    await t.backend.integrations.saveDestination(
      makeDestination({
        name: "jira",
        kind: "jira",
        url: jira.url,
        secretRef: "env:JIRA_TOKEN",
        settings: { project: "FT", email: EMAIL, issueTypes: { Bug: "Bug" } },
      }),
    );
  });
  afterEach(async () => {
    await Promise.all([t.close(), jira.close()]);
  });

  const options = (overrides: Partial<DeliveryLoopOptions> = {}): DeliveryLoopOptions => ({
    outbox: t.backend.integrations,
    env: { JIRA_TOKEN: TOKEN },
    deliverers: trackerDeliverers(),
    policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
    timeoutMs: 2_000,
    ...overrides,
  });
  const pass = async (overrides: Partial<DeliveryLoopOptions> = {}) => {
    await sleep(5);
    return deliverDue(options(overrides));
  };
  const writeTicket = async (overrides: Partial<NewTicket> = {}) => {
    const ticket = makeNewTicket({ item: makeItem(), priority: "Critical", status: "open", ...overrides });
    await insertTickets(t.db.sql, [ticket]);
    return ticket;
  };
  const deliveries = () => t.backend.integrations.list({ limit: 20 });

  it("creates the issue in the project: issue type by category, priority by name, labels, an ADF description", async () => {
    const ticket = await writeTicket({ title: "Export to PDF cuts the last page" });
    await pass();
    const [create] = jira.requests;
    expect(create).toMatchObject({
      method: "POST",
      path: "/rest/api/3/issue",
      headers: { authorization: `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString("base64")}` },
      body: {
        fields: {
          project: { key: "FT" },
          issuetype: { name: "Bug" },
          priority: { name: "Highest" },
          summary: "Export to PDF cuts the last page",
          labels: ["feedback", jiraTicketLabel(ticket.id)],
          description: { type: "doc", version: 1 },
        },
      },
    });
    expect(create!.body.fields.description.content[0]).toMatchObject({ type: "paragraph" });
    expect(await t.backend.integrations.linkOf("jira", ticket.id)).toMatchObject({
      externalId: "10001",
      externalKey: "FT-1",
      url: `${jira.url}/browse/FT-1`,
      externalState: "open",
    });
  });

  it("transitions the issue to a done status when the ticket is closed, after editing its fields", async () => {
    const ticket = await writeTicket();
    await pass();
    await t.backend.tickets.update(ticket.id, { status: "closed" }, { actor: "olivia" });
    await pass();
    expect(jira.requests.slice(1).map((r) => `${r.method} ${r.path}`)).toEqual([
      "PUT /rest/api/3/issue/10001",
      "GET /rest/api/3/issue/10001/transitions",
      "POST /rest/api/3/issue/10001/transitions",
    ]);
    expect(jira.requests.at(-1)!.body).toEqual({ transition: { id: "31" } });
    expect(site.issues.get("10001")?.status).toBe("done");
  });

  it("comments in ADF on a merged ticket's issue, naming the ticket it went into, then moves it to done", async () => {
    const into = await writeTicket();
    const folded = await writeTicket();
    await pass();
    await t.backend.grouping.merge(into.id, [folded.id], { actor: "olivia" });
    await pass();
    const issue = site.issues.get((await t.backend.integrations.linkOf("jira", folded.id))!.externalId)!;
    expect(issue.status).toBe("done");
    expect(JSON.stringify(issue.comments)).toContain(`merged into ticket ${into.id}`);
    expect(issue.comments[0]).toMatchObject({ type: "doc", version: 1 });
  });

  it("makes one issue when the process died between creating it and keeping the link (found by its label)", async () => {
    const ticket = await writeTicket();
    void deliverDue(options({ fetch: fetchThatDies, leaseMs: 100 }));
    await expect.poll(() => jira.requests.length).toBe(1);
    await sleep(150);
    await pass();
    expect(site.issues.size).toBe(1);
    expect(jira.requests[1]).toMatchObject({ method: "POST", path: "/rest/api/3/search/jql" });
    expect(jira.requests[1]!.body.jql).toBe(`project = "FT" AND labels = "${jiraTicketLabel(ticket.id)}"`);
    expect(await t.backend.integrations.linkOf("jira", ticket.id)).toMatchObject({ externalKey: "FT-1" });
  });

  it("gives up at once on 401 and on 404 (an issue deleted in Jira)", async () => {
    const ticket = await writeTicket();
    await pass({ env: { JIRA_TOKEN: "wrong" } });
    expect(await deliveries()).toMatchObject([{ status: "failed", lastStatus: 401 }]);
    await t.backend.integrations.replay({ failed: true });
    await pass();
    site.issues.clear();
    await t.backend.tickets.update(ticket.id, { title: "Export to PDF drops the last page" }, { actor: "olivia" });
    await pass();
    expect((await deliveries())[0]).toMatchObject({ status: "failed", lastStatus: 404 });
  });

  it("retries a 429 after its Retry-After, a 5xx and a timeout", async () => {
    await writeTicket();
    jira.fail({ status: 429, headers: { "retry-after": "60" } });
    const before = Date.now();
    await pass();
    const [limited] = await deliveries();
    expect(limited).toMatchObject({ status: "pending", lastStatus: 429 });
    expect(limited!.nextAttemptAt.getTime() - before).toBeGreaterThanOrEqual(59_000);
    await t.backend.integrations.replay({ ids: [limited!.id] });
    jira.fail({ status: 500 }, "hang");
    await pass();
    expect(await deliveries()).toMatchObject([{ status: "pending", lastStatus: 500 }]);
    await pass({ timeoutMs: 200 });
    expect(await deliveries()).toMatchObject([{ status: "pending", lastError: "timed out after 200 ms" }]);
  });
});
