import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { secretResolver } from "../../../app/integrations/secrets.js";
import { runWorkerService } from "../../../app/worker/worker-service.js";
import { loadRuntimeConfig } from "../../../sdk/config/runtime.js";
import { GroupingSettings } from "../../../sdk/schemas/grouping.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeMessageBody } from "../../support/factories.js";
import { BagOfWordsEncoder } from "../../support/fake-encoder.js";
import { makeDestination, TEST_WEBHOOK_SECRET } from "../../support/integration-factories.js";
import { WebhookReceiver } from "../../support/webhook-receiver.js";

describe("the worker with the grouping stage beside it", () => {
  let fixture: TestBackend;
  beforeEach(async () => {
    fixture = await openTestBackend();
  });
  afterEach(async () => fixture?.close());

  async function work(grouping: boolean) {
    await fixture.backend.configuration.set("grouping", GroupingSettings.parse({ enabled: grouping }), "test");
    await fixture.backend.queue.send(
      ["The app crashes when I open the camera", "App crashes whenever I open the camera"].map((text) => ({
        body: makeMessageBody(makeItem({ text, app: "com.example.notes" })),
      })),
    );
    const totals = await runWorkerService(fixture.backend, {
      once: true,
      agents: "offline",
      agentsConfig: loadRuntimeConfig({}).agents,
      secrets: secretResolver({}),
      encoder: new BagOfWordsEncoder(),
    });
    return { totals, tickets: (await fixture.backend.tickets.list()).items };
  }

  it("writes a ticket per item, then (with --once, before it returns) folds duplicates into one ticket", async () => {
    const { totals, tickets } = await work(true);
    expect(totals.created).toBe(2);
    expect(tickets.map((t) => t.reach)).toEqual([2]);
    expect((await fixture.backend.grouping.status()).pending).toBe(0);
  });

  it("leaves every item its own ticket while grouping is off", async () => {
    const { tickets } = await work(false);
    expect(tickets.map((t) => t.reach)).toEqual([1, 1]);
  });
});

describe("the worker with a webhook destination configured", () => {
  let fixture: TestBackend;
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    [fixture, receiver] = await Promise.all([openTestBackend(), WebhookReceiver.start()]);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await Promise.all([fixture?.close(), receiver?.close()]);
  });

  it("delivers each ticket it writes to the destination, signed, while it runs", async () => {
    await fixture.backend.integrations.saveDestination(makeDestination({ url: receiver.url }));
    await fixture.backend.queue.send([{ body: makeMessageBody(makeItem({ text: "The app crashes on start" })) }]);
    const stop = new AbortController();
    const worker = runWorkerService(fixture.backend, {
      agents: "offline",
      agentsConfig: loadRuntimeConfig({}).agents,
      secrets: secretResolver({ TEST_WEBHOOK_SECRET }),
      encoder: new BagOfWordsEncoder(),
      signal: stop.signal,
    });
    await expect.poll(() => receiver.requests.length, { timeout: 20_000 }).toBe(1);
    stop.abort();
    await worker;
    const [request] = receiver.requests;
    const event = new Webhook(TEST_WEBHOOK_SECRET).verify(request!.body, request!.headers as Record<string, string>);
    expect(event).toMatchObject({ type: "ticket.created", data: { title: expect.any(String) } });
  });
});
