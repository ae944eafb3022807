import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IntegrationDeliveriesJson } from "../../cli/output-schemas.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { openLocalBackend } from "../../sdk/open-backend.js";
import { insertTickets } from "../../sdk/store/ticket-writer.js";
import { runCli, startCli } from "../support/cli.js";
import { testBackend } from "../support/database.js";
import { makeNewTicket } from "../support/factories.js";
import { makeDestination, TEST_WEBHOOK_SECRET } from "../support/integration-factories.js";
import { WebhookReceiver } from "../support/webhook-receiver.js";

describe.skipIf(testBackend === "postgres")("a worker killed mid-delivery", () => {
  let cwd: string;
  let receiver: WebhookReceiver;
  const env = { TEST_WEBHOOK_SECRET };

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), "ft-webhook-kill-"));
    receiver = await WebhookReceiver.start();
    const { backend, database } = await openLocalBackend({
      config: loadRuntimeConfig({}),
      dataDir: path.join(cwd, ".feedback-triage"),
    });
    try {
      await backend.integrations.saveDestination(makeDestination({ url: receiver.url }));
      await insertTickets(database.sql, [makeNewTicket()]);
    } finally {
      await backend.close();
    }
  });
  afterAll(() => receiver?.close());

  it("has the event redelivered after the restart with the same webhook-id, so a de-duplicating receiver applies it once", async () => {
    receiver.reply("hang"); // the POST arrives; its answer never comes before the kill
    const worker = ["worker", "--webhook-timeout", "2"];
    const first = await startCli(worker, { cwd, env, ready: /Worker started/ });
    await expect.poll(() => receiver.requests.length, { timeout: 20_000, interval: 10 }).toBe(1);
    first.child.kill("SIGKILL");
    await first.exited;

    const second = await startCli(worker, { cwd, env, ready: /Worker started/ });
    await expect.poll(() => receiver.requests.length, { timeout: 30_000 }).toBe(2);
    second.child.kill("SIGTERM");
    await second.exited;

    const applied = new Set<string>();
    for (const request of receiver.requests) {
      new Webhook(TEST_WEBHOOK_SECRET).verify(request.body, request.headers as Record<string, string>);
      applied.add(String(request.headers["webhook-id"]));
    }
    expect(applied.size).toBe(1);
    const log = await runCli(["integrations", "deliveries", "--json"], { cwd });
    expect(IntegrationDeliveriesJson.parse(JSON.parse(log.stdout))).toEqual([
      expect.objectContaining({ status: "delivered", attempts: 2, eventId: [...applied][0] }),
    ]);
  });
});
