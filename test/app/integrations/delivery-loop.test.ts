import { setTimeout as sleep } from "node:timers/promises";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DeliveryLoopOptions, deliverDue, startDeliveryLoop } from "../../../app/integrations/delivery-loop.js";
import { WebhookPayload } from "../../../sdk/schemas/integrations.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeNewTicket } from "../../support/factories.js";
import { makeDestination, TEST_WEBHOOK_SECRET } from "../../support/integration-factories.js";
import { WebhookReceiver } from "../../support/webhook-receiver.js";

describe("the webhook delivery loop", () => {
  let t: TestBackend;
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    [t, receiver] = await Promise.all([openTestBackend(), WebhookReceiver.start()]);
    await t.backend.integrations.saveDestination(makeDestination({ url: receiver.url }));
  });
  afterEach(async () => {
    await Promise.all([t.close(), receiver.close()]);
  });

  const options = (overrides: Partial<DeliveryLoopOptions> = {}): DeliveryLoopOptions => ({
    outbox: t.backend.integrations,
    env: { TEST_WEBHOOK_SECRET },
    policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
    timeoutMs: 2_000,
    ...overrides,
  });
  /** A pass once what was retried is due again (the test policy waits a millisecond at most). */
  const pass = async (overrides: Partial<DeliveryLoopOptions> = {}) => {
    await sleep(5);
    return deliverDue(options(overrides));
  };
  const writeTickets = (n: number) =>
    insertTickets(
      t.db.sql,
      Array.from({ length: n }, () => makeNewTicket({ item: makeItem() })),
    );
  const deliveries = () => t.backend.integrations.list({ limit: 10 });
  const verifier = new Webhook(TEST_WEBHOOK_SECRET);
  const verify = (request: WebhookReceiver["requests"][number]) =>
    verifier.verify(request.body, request.headers as Record<string, string>);

  it("POSTs every event signed per Standard Webhooks, the event id as webhook-id", async () => {
    await writeTickets(2);
    expect(await pass()).toBe(2);
    expect(receiver.requests).toHaveLength(2);
    for (const request of receiver.requests) expect(WebhookPayload.parse(verify(request)).type).toBe("ticket.created");
    const stored = await deliveries();
    expect(stored.map((d) => d.status)).toEqual(["delivered", "delivered"]);
    expect(receiver.webhookIds().sort()).toEqual(stored.map((d) => d.eventId).sort());
  });

  it("retries a 5xx answer and delivers the same webhook-id on the next attempt", async () => {
    await writeTickets(1);
    receiver.reply({ status: 500 });
    await pass();
    expect(await deliveries()).toMatchObject([{ status: "pending", attempts: 1, lastStatus: 500 }]);
    await pass();
    expect(await deliveries()).toMatchObject([{ status: "delivered", attempts: 2, lastStatus: 204 }]);
    const [first, second] = receiver.webhookIds();
    expect(second).toBe(first);
    receiver.requests.forEach(verify);
  });

  it("waits as long as a 429's Retry-After asks before the next attempt", async () => {
    await writeTickets(1);
    receiver.reply({ status: 429, headers: { "retry-after": "120" } });
    const before = Date.now();
    await pass();
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: "pending", lastStatus: 429 });
    expect(delivery!.nextAttemptAt.getTime() - before).toBeGreaterThanOrEqual(119_000);
    expect(await pass()).toBe(0);
  });

  it.each([401, 404])("gives up at once on %i (the URL or secret needs fixing): failed, replayable", async (status) => {
    await writeTickets(1);
    receiver.reply({ status });
    await pass();
    const [failed] = await deliveries();
    expect(failed).toMatchObject({ status: "failed", attempts: 1, lastStatus: status });
    await t.backend.integrations.replay({ ids: [failed!.id] });
    await pass();
    expect(await deliveries()).toMatchObject([{ status: "delivered" }]);
    expect(new Set(receiver.webhookIds()).size).toBe(1);
  });

  it("counts a request that times out as a failed attempt, retried", async () => {
    await writeTickets(1);
    receiver.reply("hang");
    await pass({ timeoutMs: 200 });
    expect(await deliveries()).toMatchObject([
      { status: "pending", lastStatus: null, lastError: "timed out after 200 ms" },
    ]);
    await pass();
    expect(await deliveries()).toMatchObject([{ status: "delivered" }]);
  });

  it("marks a delivery failed after the last attempt the policy allows", async () => {
    await writeTickets(1);
    receiver.reply({ status: 502 }, { status: 503 }, { status: 500 });
    for (let i = 0; i < 3; i++) await pass();
    expect(await deliveries()).toMatchObject([{ status: "failed", attempts: 3, lastStatus: 500 }]);
    expect(await pass()).toBe(0);
  });

  it("records a delivery whose signing secret is missing as a failed attempt, without the secret's value", async () => {
    await writeTickets(1);
    await pass({ env: {} });
    expect(await deliveries()).toMatchObject([
      { status: "pending", lastError: "No secret at env:TEST_WEBHOOK_SECRET" },
    ]);
    expect(receiver.requests).toHaveLength(0);
  });

  it("hands a tracker destination's deliveries to the deliverer of its kind, with its secret", async () => {
    await t.backend.integrations.saveDestination(
      makeDestination({ name: "gh", kind: "github", events: ["ticket.created"], secretRef: "env:GH_TOKEN" }),
    );
    const seen: { destination: string; secret: string }[] = [];
    await writeTickets(1);
    await pass({
      env: { TEST_WEBHOOK_SECRET, GH_TOKEN: "ghp_test" },
      deliverers: {
        github: async (_delivery, destination, context) => {
          seen.push({ destination: destination.name, secret: context.secret });
          return { status: 201, retryAfter: null };
        },
      },
    });
    expect(seen).toEqual([{ destination: "gh", secret: "ghp_test" }]);
    expect((await deliveries()).map((d) => [d.destination, d.status]).sort()).toEqual([
      ["gh", "delivered"],
      ["team-hook", "delivered"],
    ]);
  });

  it("fails at once a delivery to a kind this worker has no deliverer for, to be replayed once it has", async () => {
    await t.backend.integrations.saveDestination(makeDestination({ url: receiver.url, kind: "linear" }));
    await writeTickets(1);
    await pass();
    expect(await deliveries()).toMatchObject([
      { status: "failed", attempts: 1, lastError: "this worker cannot deliver to linear destinations" },
    ]);
  });

  it("redelivers with the same webhook-id when the process died between the POST and recording it", async () => {
    await writeTickets(1);
    const applied = new Set<string>();
    const dying: typeof fetch = async (url, init) => {
      await fetch(url, init);
      return new Promise<Response>(() => {}); // the process is gone: nothing is recorded
    };
    void deliverDue(options({ fetch: dying, leaseMs: 100 }));
    await expect.poll(() => receiver.requests.length).toBe(1);
    await sleep(150); // the lease of the dead process runs out
    await pass();
    expect(receiver.requests).toHaveLength(2);
    for (const request of receiver.requests) {
      verify(request);
      applied.add(String(request.headers["webhook-id"]));
    }
    expect(applied.size).toBe(1);
    expect(await deliveries()).toMatchObject([{ status: "delivered", attempts: 2 }]);
  });

  it("runs beside the worker until stopped, delivering as tickets are written", async () => {
    const stop = new AbortController();
    const loop = startDeliveryLoop(t.backend.integrations, {
      ...options({ idleMs: 20 }),
      signal: stop.signal,
      onError: () => {},
    });
    await writeTickets(1);
    await expect.poll(() => receiver.requests.length, { timeout: 10_000 }).toBe(1);
    stop.abort();
    await loop;
  });

  it("starts delivering once a destination is enabled while it runs", async () => {
    await t.backend.integrations.saveDestination(makeDestination({ url: receiver.url, enabled: false }));
    const stop = new AbortController();
    const loop = startDeliveryLoop(t.backend.integrations, {
      ...options({ idleMs: 20 }),
      recheckMs: 50,
      signal: stop.signal,
      onError: () => {},
    });
    await sleep(200);
    await t.backend.integrations.saveDestination(makeDestination({ url: receiver.url }));
    await writeTickets(1);
    await expect.poll(() => receiver.requests.length, { timeout: 10_000 }).toBe(1);
    stop.abort();
    await loop;
  });
});
