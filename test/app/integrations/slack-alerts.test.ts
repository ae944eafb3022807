import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DeliveryLoopOptions, deliverDue } from "../../../app/integrations/delivery-loop.js";
import { checkDeadLetterGrowth } from "../../../app/integrations/slack/dead-letter-watch.js";
import { SlackAlerts } from "../../../app/integrations/slack/slack-alerts.js";
import type { SlackMessage } from "../../../app/integrations/slack/slack-messages.js";
import type { Priority } from "../../../sdk/schemas/feedback.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { seedDeadLetter } from "../../dashboard/support.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeNewTicket } from "../../support/factories.js";
import { makeDestination } from "../../support/integration-factories.js";
import { WebhookReceiver } from "../../support/webhook-receiver.js";

describe("Slack alerts", () => {
  let t: TestBackend;
  let slack: WebhookReceiver;
  let alerts: SlackAlerts;
  beforeEach(async () => {
    [t, slack] = await Promise.all([openTestBackend(), WebhookReceiver.start()]);
    alerts = new SlackAlerts();
  });
  afterEach(async () => {
    await Promise.all([t.close(), slack.close()]);
  });

  const addSlack = (settings: Record<string, unknown> = {}) =>
    t.backend.integrations.saveDestination(
      makeDestination({
        name: "oncall",
        kind: "slack",
        url: "#oncall",
        secretRef: "env:SLACK_WEBHOOK_URL",
        settings: { dashboardUrl: "https://feedback.example.com", ...settings },
      }),
    );
  const options = (overrides: Partial<DeliveryLoopOptions> = {}): DeliveryLoopOptions => ({
    outbox: t.backend.integrations,
    env: { SLACK_WEBHOOK_URL: slack.url },
    deliverers: { slack: alerts.deliver },
    policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
    timeoutMs: 2_000,
    ...overrides,
  });
  const pass = (overrides: Partial<DeliveryLoopOptions> = {}) => deliverDue(options(overrides));
  const writeTickets = async (...priorities: Priority[]) => {
    const tickets = priorities.map((priority, i) =>
      makeNewTicket({ item: makeItem({ app: "com.example.notes" }), priority, title: `${priority} ticket ${i + 1}` }),
    );
    return (await insertTickets(t.db.sql, tickets)).created;
  };
  const deliveries = () => t.backend.integrations.list({ limit: 20 });
  const message = (i: number) => JSON.parse(slack.requests[i]!.body) as SlackMessage;
  const listing = (i: number) => JSON.stringify(message(i).blocks);

  it("posts one message listing the Critical tickets a pass delivers, linked to the dashboard", async () => {
    await addSlack();
    const [first] = await writeTickets("Critical", "Critical");
    expect(await pass()).toBe(2);
    expect(slack.requests).toHaveLength(1);
    expect(message(0).text).toBe("2 Critical tickets in feedback-triage");
    expect(listing(0)).toContain("Critical ticket 1");
    expect(listing(0)).toContain("Critical ticket 2");
    expect(listing(0)).toContain(`https://feedback.example.com/tickets/${first}`);
    expect(listing(0)).toContain("com.example.notes");
    expect((await deliveries()).map((d) => d.status)).toEqual(["delivered", "delivered"]);
  });

  it("posts nothing for tickets that are not Critical, and marks their deliveries delivered", async () => {
    await addSlack();
    await writeTickets("High", "Low");
    expect(await pass()).toBe(2);
    expect(slack.requests).toHaveLength(0);
    expect(await deliveries()).toMatchObject([
      { status: "delivered", lastStatus: null },
      { status: "delivered", lastStatus: null },
    ]);
  });

  it("alerts when a ticket is updated to Critical, not again when a Critical ticket is edited", async () => {
    await addSlack({ intervalSeconds: 1 });
    const [id] = await writeTickets("High");
    await pass();
    await t.backend.tickets.update(id!, { priority: "Critical" }, { actor: "dev" });
    await pass();
    expect(slack.requests).toHaveLength(1);
    expect(listing(0)).toContain("High ticket 1");
    await sleep(1_100);
    await t.backend.tickets.update(id!, { title: "Still Critical, new title" }, { actor: "dev" });
    await pass();
    expect(slack.requests).toHaveLength(1);
  });

  it("holds Critical tickets within the interval until the next slot, then sends them in one message", async () => {
    await addSlack({ intervalSeconds: 1 });
    await writeTickets("Critical");
    await pass();
    const slotOpens = Date.now() + 1_000;
    await writeTickets("Critical", "Critical");
    await pass();
    expect(slack.requests).toHaveLength(1);
    const held = (await deliveries()).filter((d) => d.status === "pending");
    expect(held).toHaveLength(2);
    for (const d of held) {
      expect(d.attempts).toBe(0); // a deferral is not a failed attempt
      expect(d.nextAttemptAt.getTime()).toBeGreaterThan(slotOpens - 200);
    }
    await sleep(Math.max(0, Math.max(...held.map((d) => d.nextAttemptAt.getTime())) - Date.now()) + 50);
    expect(await pass()).toBe(2);
    expect(slack.requests).toHaveLength(2);
    expect(message(1).text).toBe("2 Critical tickets in feedback-triage");
    expect((await deliveries()).every((d) => d.status === "delivered")).toBe(true);
  });

  it("waits as long as Slack's 429 Retry-After asks before posting again", async () => {
    await addSlack();
    slack.reply({ status: 429, headers: { "retry-after": "120" } });
    const before = Date.now();
    await writeTickets("Critical");
    await pass();
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: "pending", lastStatus: 429 });
    expect(delivery!.nextAttemptAt.getTime() - before).toBeGreaterThanOrEqual(119_000);
    await seedDeadLetter(t.db.sql);
    expect(await checkDeadLetters({ dlqGrowth: 1 })).toEqual([]);
    expect(slack.requests).toHaveLength(1);
  });

  it("retries a 5xx answer and a timeout, then posts", async () => {
    await addSlack();
    slack.reply({ status: 503 }, "hang");
    await writeTickets("Critical");
    await pass({ timeoutMs: 200 });
    await sleep(5);
    await pass({ timeoutMs: 200 });
    expect(await deliveries()).toMatchObject([{ status: "pending", attempts: 2, lastError: "timed out after 200 ms" }]);
    await sleep(5);
    await pass();
    expect(slack.requests).toHaveLength(3);
    expect(await deliveries()).toMatchObject([{ status: "delivered", attempts: 3, lastStatus: 204 }]);
  });

  it("fails at once when the destination's settings are invalid", async () => {
    await addSlack({ intervalSeconds: "soon" });
    await writeTickets("Critical");
    await pass();
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: "failed" });
    expect(delivery!.lastError).toContain("invalid Slack settings");
    expect(slack.requests).toHaveLength(0);
  });

  const checkDeadLetters = (settings: Record<string, unknown>, now = () => new Date(), worker = alerts) =>
    addSlack(settings).then(() =>
      checkDeadLetterGrowth({
        dlq: t.backend.dlq,
        outbox: t.backend.integrations,
        alerts: worker,
        secrets: async () => slack.url,
        timeoutMs: 2_000,
        now,
      }),
    );

  it("alerts once when the dead-letter queue grew by the threshold, and not again within the interval", async () => {
    expect(await checkDeadLetters({ dlqGrowth: 2 })).toEqual([]); // the baseline: empty
    await seedDeadLetter(t.db.sql);
    expect(await checkDeadLetters({ dlqGrowth: 2 })).toEqual([]);
    await seedDeadLetter(t.db.sql);
    expect(await checkDeadLetters({ dlqGrowth: 2 })).toEqual([{ status: 204, retryAfter: null }]);
    expect(message(0).text).toContain("grew from 0 to 2");
    expect(await checkDeadLetters({ dlqGrowth: 2 })).toEqual([]);
    await seedDeadLetter(t.db.sql);
    await seedDeadLetter(t.db.sql);
    expect(await checkDeadLetters({ dlqGrowth: 2 })).toEqual([]); // grown again, but within the interval
    const later = () => new Date(Date.now() + 61_000);
    expect(await checkDeadLetters({ dlqGrowth: 2 }, later)).toHaveLength(1);
    expect(message(1).text).toContain("grew from 2 to 4");
    expect(slack.requests).toHaveLength(2);
  });

  it("sends no dead-letter alert when the destination turned them off", async () => {
    await checkDeadLetters({ dlqGrowth: 0 });
    await seedDeadLetter(t.db.sql);
    expect(await checkDeadLetters({ dlqGrowth: 0 })).toEqual([]);
    expect(slack.requests).toHaveLength(0);
  });

  it("keeps the pace across workers: another worker's Critical ticket waits for the same destination's next slot", async () => {
    await addSlack();
    await writeTickets("Critical");
    await pass();
    const otherWorker = new SlackAlerts();
    await writeTickets("Critical");
    await pass({ deliverers: { slack: otherWorker.deliver } });
    expect(slack.requests).toHaveLength(1);
    expect((await deliveries()).map((d) => d.status).sort()).toEqual(["delivered", "pending"]);
  });

  it("alerts a dead-letter queue's growth once however many workers watch it", async () => {
    const otherWorker = new SlackAlerts();
    await checkDeadLetters({ dlqGrowth: 1 });
    await checkDeadLetters({ dlqGrowth: 1 }, undefined, otherWorker); // both have seen it empty
    await seedDeadLetter(t.db.sql);
    const seen = [
      await checkDeadLetters({ dlqGrowth: 1 }),
      await checkDeadLetters({ dlqGrowth: 1 }, undefined, otherWorker),
    ];
    expect(seen.flat()).toHaveLength(1);
    const later = () => new Date(Date.now() + 61_000);
    expect(await checkDeadLetters({ dlqGrowth: 1 }, later, otherWorker)).toEqual([]); // no growth since that alert
    expect(slack.requests).toHaveLength(1);
  });
});
