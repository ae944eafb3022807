import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DeliveryLoopOptions, deliverDue } from "../../../../app/integrations/delivery-loop.js";
import { linearIssueId } from "../../../../app/integrations/trackers/linear.js";
import { trackerDeliverers } from "../../../../app/integrations/trackers/tracker-deliverer.js";
import type { NewTicket } from "../../../../sdk/ports/tickets.js";
import { insertTickets } from "../../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../../support/backend.js";
import { makeItem, makeNewTicket } from "../../../support/factories.js";
import { FakeTracker, fetchThatDies, linearApi } from "../../../support/fake-trackers.js";
import { makeDestination } from "../../../support/integration-factories.js";

const API_KEY = "lin_api_test";
const STATES = { done: "state-done", canceled: "state-canceled", open: "state-todo" };

describe("the Linear tracker", () => {
  let t: TestBackend;
  let linear: FakeTracker;
  let workspace: ReturnType<typeof linearApi>;
  beforeEach(async () => {
    t = await openTestBackend();
    workspace = linearApi({ apiKey: API_KEY, doneStateId: STATES.done });
    linear = await FakeTracker.start(workspace.api);
    await addLinear({});
  });
  afterEach(async () => {
    await Promise.all([t.close(), linear.close()]);
  });

  const addLinear = (settings: Record<string, unknown>) =>
    t.backend.integrations.saveDestination(
      makeDestination({
        name: "linear",
        kind: "linear",
        url: `${linear.url}/graphql`,
        secretRef: "env:LINEAR_KEY",
        settings: { teamId: "team-eng", labels: { byCategory: { Bug: ["label-bug"] } }, states: STATES, ...settings },
      }),
    );
  const options = (overrides: Partial<DeliveryLoopOptions> = {}): DeliveryLoopOptions => ({
    outbox: t.backend.integrations,
    env: { LINEAR_KEY: API_KEY },
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

  it("creates the issue with its own derived id, the team, Linear's priority number and the mapped label ids", async () => {
    const ticket = await writeTicket({ title: "Sync loses notes offline" });
    await pass();
    const [create] = linear.requests;
    expect(create!.headers.authorization).toBe(API_KEY);
    expect(create!.body.query).toContain("issueCreate(input: $input)");
    expect(create!.body.variables.input).toMatchObject({
      id: linearIssueId("linear", ticket.id),
      teamId: "team-eng",
      title: "Sync loses notes offline",
      priority: 1,
      labelIds: ["label-bug"],
    });
    expect(await t.backend.integrations.linkOf("linear", ticket.id)).toMatchObject({
      externalId: linearIssueId("linear", ticket.id),
      externalKey: "ENG-1",
      url: "https://linear.app/acme/issue/ENG-1",
      externalState: "open",
    });
  });

  it("derives the same issue id on every attempt, a UUID v4 in form, different per destination", () => {
    const ticketId = "8767cbf0-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
    expect(linearIssueId("linear", ticketId)).toBe(linearIssueId("linear", ticketId));
    expect(linearIssueId("linear", ticketId)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(linearIssueId("linear-2", ticketId)).not.toBe(linearIssueId("linear", ticketId));
  });

  it("moves the issue to the done state when the ticket is closed", async () => {
    const ticket = await writeTicket();
    await pass();
    await t.backend.tickets.update(ticket.id, { status: "closed" }, { actor: "olivia" });
    await pass();
    const update = linear.requests.at(-1)!;
    expect(update.body.query).toContain("issueUpdate(id: $id, input: $input)");
    expect(update.body.variables).toMatchObject({
      id: linearIssueId("linear", ticket.id),
      input: { stateId: STATES.done },
    });
    expect((await t.backend.integrations.linkOf("linear", ticket.id))?.externalState).toBe("closed");
  });

  it("makes one issue when the process died between creating it and keeping the link", async () => {
    const ticket = await writeTicket();
    void deliverDue(options({ fetch: fetchThatDies, leaseMs: 100 }));
    await expect.poll(() => linear.requests.length).toBe(1);
    await sleep(150);
    await pass();
    expect(workspace.issues.size).toBe(1);
    expect(linear.requests[1]!.body.query).toContain("issue(id: $id)");
    expect(linear.requests).toHaveLength(2);
    expect(await t.backend.integrations.linkOf("linear", ticket.id)).toMatchObject({ externalKey: "ENG-1" });
  });

  it("gives up at once when the API key is refused (401)", async () => {
    await writeTicket();
    await pass({ env: { LINEAR_KEY: "lin_api_revoked" } });
    expect(await deliveries()).toMatchObject([{ status: "failed", lastStatus: 401 }]);
  });

  it("retries Linear's rate limit (HTTP 400, RATELIMITED) and a 429's Retry-After", async () => {
    await writeTicket();
    linear.fail({
      status: 400,
      body: { errors: [{ message: "Rate limit exceeded", extensions: { code: "RATELIMITED" } }] },
    });
    await pass();
    expect(await deliveries()).toMatchObject([{ status: "pending", lastStatus: 429 }]);
    linear.fail({ status: 429, headers: { "retry-after": "120" } });
    const before = Date.now();
    await pass();
    const [delivery] = await deliveries();
    expect(delivery!.nextAttemptAt.getTime() - before).toBeGreaterThanOrEqual(119_000);
  });

  it("retries a 5xx answer and a timeout, then creates the issue once", async () => {
    await writeTicket();
    linear.fail({ status: 503 }, "hang");
    await pass();
    await pass({ timeoutMs: 200 });
    expect(await deliveries()).toMatchObject([{ status: "pending", lastError: "timed out after 200 ms" }]);
    await pass();
    expect(await deliveries()).toMatchObject([{ status: "delivered" }]);
    expect(workspace.issues.size).toBe(1);
  });

  it("fails at once on an unknown issue (404-like GraphQL error) when updating a link to a deleted issue", async () => {
    const ticket = await writeTicket();
    await pass();
    workspace.issues.clear();
    await t.backend.tickets.update(ticket.id, { title: "Sync loses notes when offline" }, { actor: "olivia" });
    await pass();
    expect((await deliveries())[0]).toMatchObject({
      status: "failed",
      lastError: expect.stringMatching(/Entity not found/),
    });
  });
});
