import { createHmac } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DeliveryLoopOptions, deliverDue } from "../../../../app/integrations/delivery-loop.js";
import { secretResolver } from "../../../../app/integrations/secrets.js";
import { trackerDeliverers } from "../../../../app/integrations/trackers/tracker-deliverer.js";
import { handleTrackerWebhook } from "../../../../app/integrations/trackers/tracker-webhooks.js";
import type { NewTicket } from "../../../../sdk/ports/tickets.js";
import { insertTickets } from "../../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../../support/backend.js";
import { makeItem, makeNewTicket } from "../../../support/factories.js";
import { FakeTracker, fetchThatDies, githubApi } from "../../../support/fake-trackers.js";
import { makeDestination } from "../../../support/integration-factories.js";

const TOKEN = "ghp_test_token";
const REPOSITORY = "acme/notes";

describe("the GitHub Issues tracker", () => {
  let t: TestBackend;
  let github: FakeTracker;
  let repo: ReturnType<typeof githubApi>;
  beforeEach(async () => {
    t = await openTestBackend();
    repo = githubApi({ repository: REPOSITORY, token: TOKEN });
    github = await FakeTracker.start(repo.api);
    await addGithub({});
  });
  afterEach(async () => {
    await Promise.all([t.close(), github.close()]);
  });

  const addGithub = (settings: Record<string, unknown>) =>
    t.backend.integrations.saveDestination(
      makeDestination({
        name: "gh",
        kind: "github",
        url: github.url,
        secretRef: "env:GH_TOKEN",
        settings: { repository: REPOSITORY, ...settings },
      }),
    );
  const options = (overrides: Partial<DeliveryLoopOptions> = {}): DeliveryLoopOptions => ({
    outbox: t.backend.integrations,
    env: { GH_TOKEN: TOKEN },
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
  const link = (ticketId: string) => t.backend.integrations.linkOf("gh", ticketId);

  it("creates an issue for a new ticket: title, mapped labels, marker, token and API version; the link is kept", async () => {
    const ticket = await writeTicket({ title: "Crash when opening the camera" });
    await pass();
    const [create] = github.requests;
    expect(create).toMatchObject({
      method: "POST",
      path: `/repos/${REPOSITORY}/issues`,
      headers: { authorization: `Bearer ${TOKEN}`, "x-github-api-version": "2022-11-28" },
      body: { title: "Crash when opening the camera", labels: ["feedback", "bug"] },
    });
    expect(create!.body.body).toContain(`feedback-triage:${ticket.id}`);
    expect(await link(ticket.id)).toMatchObject({
      externalId: "1",
      externalKey: "#1",
      url: `https://github.com/${REPOSITORY}/issues/1`,
      externalState: "open",
    });
    expect(await deliveries()).toMatchObject([{ status: "delivered", lastStatus: 201 }]);
  });

  it("makes one issue for a ticket whose created and updated events wait together: one at a time, in order", async () => {
    const ticket = await writeTicket();
    await t.backend.tickets.update(ticket.id, { title: "Camera crash on Android 15" }, { actor: "olivia" });
    expect(await pass()).toBe(1);
    expect(await pass()).toBe(1);
    expect(repo.issues.size).toBe(1);
    expect(repo.issues.get(1)?.title).toBe("Camera crash on Android 15");
  });

  it("makes no issue for a ticket outside the creation rules", async () => {
    await addGithub({ rules: [{ categories: ["Bug"], priorities: ["Critical"] }, { minReach: 5 }] });
    await writeTicket({ priority: "Low" });
    await pass();
    expect(github.requests).toHaveLength(0);
    expect(await deliveries()).toMatchObject([{ status: "delivered", lastStatus: 204 }]);
  });

  it("updates the linked issue when the ticket changes, and closes it as completed when the ticket is closed", async () => {
    const ticket = await writeTicket();
    await pass();
    await t.backend.tickets.update(ticket.id, { title: "Camera crash on Android 15" }, { actor: "olivia" });
    await pass();
    await t.backend.tickets.update(ticket.id, { status: "closed" }, { actor: "olivia" });
    await pass();
    const patches = github.requests.filter((r) => r.method === "PATCH");
    expect(patches.map((r) => r.path)).toEqual([`/repos/${REPOSITORY}/issues/1`, `/repos/${REPOSITORY}/issues/1`]);
    expect(patches[0]!.body).toEqual({ title: "Camera crash on Android 15", labels: ["feedback", "bug"] });
    expect(patches[1]!.body).toMatchObject({ state: "closed", state_reason: "completed" });
    expect(repo.issues.get(1)).toMatchObject({ title: "Camera crash on Android 15", state: "closed" });
    expect((await link(ticket.id))?.externalState).toBe("closed");
  });

  it("does not send back a close that came from GitHub: the ticket closes, the issue is only re-labelled", async () => {
    await addGithub({ webhookSecretRef: "env:GH_HOOK" });
    const ticket = await writeTicket();
    await pass();
    repo.issues.get(1)!.state = "closed";
    const body = JSON.stringify({ action: "closed", issue: { number: 1, state: "closed" } });
    const signature = `sha256=${createHmac("sha256", "hook-secret").update(body).digest("hex")}`;
    const answer = await handleTrackerWebhook(
      { backend: t.backend, secrets: secretResolver({ GH_HOOK: "hook-secret" }) },
      {
        destination: "gh",
        headers: { "x-github-event": "issues", "x-hub-signature-256": signature },
        body: Buffer.from(body),
      },
    );
    expect(answer.body).toMatchObject({ result: "closed" });
    await pass();
    expect((await t.backend.tickets.get(ticket.id))?.status).toBe("closed");
    const patch = github.requests.at(-1)!;
    expect(patch.method).toBe("PATCH");
    expect(patch.body).not.toHaveProperty("state");
  });

  it("closes the issue as not planned when the ticket is rejected", async () => {
    const ticket = await writeTicket();
    await pass();
    await t.backend.tickets.update(ticket.id, { status: "rejected" }, { actor: "olivia" });
    await pass();
    expect(repo.issues.get(1)).toMatchObject({ state: "closed", state_reason: "not_planned" });
  });

  it("closes the issue of a merged ticket with a comment naming the ticket it was merged into", async () => {
    const into = await writeTicket();
    const folded = await writeTicket();
    await pass();
    await t.backend.grouping.merge(into.id, [folded.id], { actor: "olivia" });
    await pass();
    const foldedIssue = Number((await link(folded.id))!.externalId);
    const intoKey = (await link(into.id))!.externalKey;
    expect(repo.issues.get(foldedIssue)).toMatchObject({ state: "closed", state_reason: "not_planned" });
    expect(repo.issues.get(foldedIssue)!.comments).toEqual([
      expect.stringContaining(`merged into ticket ${into.id} (${intoKey}`),
    ]);
  });

  it("makes one issue when the process died between creating it and keeping the link", async () => {
    const ticket = await writeTicket();
    void deliverDue(options({ fetch: fetchThatDies, leaseMs: 100 }));
    await expect.poll(() => github.requests.length).toBe(1);
    await sleep(150); // the dead process's lease runs out
    await pass();
    expect(repo.issues.size).toBe(1);
    expect(github.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual([
      `POST /repos/${REPOSITORY}/issues`,
      `GET /repos/${REPOSITORY}/issues`,
    ]);
    expect(github.requests[1]!.path).toContain("state=all");
    expect(await link(ticket.id)).toMatchObject({ externalKey: "#1" });
  });

  it("finds the issue a dead attempt made, then brings it up to date with the ticket's next event", async () => {
    const ticket = await writeTicket();
    void deliverDue(options({ fetch: fetchThatDies, leaseMs: 100 }));
    await expect.poll(() => github.requests.length).toBe(1);
    await t.backend.tickets.update(ticket.id, { title: "Camera crash on Android 15" }, { actor: "olivia" });
    await sleep(150); // the dead process's lease runs out
    await pass(); // the retry finds the issue the dead attempt made (the update waits for it)
    await pass(); // then the update reaches that issue
    expect(repo.issues.size).toBe(1);
    expect(repo.issues.get(1)?.title).toBe("Camera crash on Android 15");
    expect(await link(ticket.id)).toMatchObject({ externalKey: "#1" });
  });

  it("gives up at once on 401 (the token needs fixing), and delivers after a replay", async () => {
    await writeTicket();
    await pass({ env: { GH_TOKEN: "ghp_revoked" } });
    const [failed] = await deliveries();
    expect(failed).toMatchObject({ status: "failed", attempts: 1, lastStatus: 401 });
    await t.backend.integrations.replay({ ids: [failed!.id] });
    await pass();
    expect(await deliveries()).toMatchObject([{ status: "delivered" }]);
  });

  it("gives up at once on 404 (no such repository)", async () => {
    await addGithub({ repository: "acme/gone" });
    await writeTicket();
    await pass();
    expect(await deliveries()).toMatchObject([{ status: "failed", lastStatus: 404 }]);
  });

  it("waits as long as a 429's Retry-After asks", async () => {
    await writeTicket();
    github.fail({ status: 429, headers: { "retry-after": "120" }, body: { message: "rate limited" } });
    const before = Date.now();
    await pass();
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: "pending", lastStatus: 429 });
    expect(delivery!.nextAttemptAt.getTime() - before).toBeGreaterThanOrEqual(119_000);
  });

  it("retries a 5xx answer and a timeout, then creates the issue once", async () => {
    await writeTicket();
    github.fail({ status: 502 });
    await pass();
    expect(await deliveries()).toMatchObject([{ status: "pending", lastStatus: 502 }]);
    github.fail("hang");
    await pass({ timeoutMs: 200 });
    expect(await deliveries()).toMatchObject([{ status: "pending", lastError: "timed out after 200 ms" }]);
    await pass();
    expect(await deliveries()).toMatchObject([{ status: "delivered" }]);
    expect(repo.issues.size).toBe(1);
  });

  it("fails at once, naming the setting, when the destination's settings are invalid", async () => {
    await addGithub({ repository: "not a repository" });
    await writeTicket();
    await pass();
    const [failed] = await deliveries();
    expect(failed).toMatchObject({ status: "failed", attempts: 1 });
    expect(failed!.lastError).toMatch(/Invalid github settings[\s\S]*repository[\s\S]*owner\/name/);
    expect(github.requests).toHaveLength(0);
  });
});
