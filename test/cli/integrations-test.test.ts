import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IntegrationTestJson } from "../../cli/output-schemas.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { openLocalBackend } from "../../sdk/open-backend.js";
import { runCli } from "../support/cli.js";
import { testBackend } from "../support/database.js";
import { makeDestination, TEST_WEBHOOK_SECRET } from "../support/integration-factories.js";
import { WebhookReceiver } from "../support/webhook-receiver.js";

describe.skipIf(testBackend === "postgres")("feedback-cli integrations test", () => {
  let cwd: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), "ft-integrations-test-"));
    receiver = await WebhookReceiver.start();
    const { backend } = await openLocalBackend({
      config: loadRuntimeConfig({}),
      dataDir: path.join(cwd, ".feedback-triage"),
    });
    try {
      await backend.integrations.saveDestination(makeDestination({ url: receiver.url }));
    } finally {
      await backend.close();
    }
  });
  afterAll(() => receiver.close());

  it("sends the webhook a signed ping and reports its answer as JSON", async () => {
    const result = await runCli(["integrations", "test", "team-hook", "--json"], {
      cwd,
      env: { TEST_WEBHOOK_SECRET },
    });
    expect(result.code).toBe(0);
    expect(IntegrationTestJson.parse(JSON.parse(result.stdout))).toMatchObject({ ok: true, status: 204 });
    expect(JSON.parse(receiver.requests.at(-1)!.body)).toMatchObject({ type: "ping" });
  });

  it("exits 1 with a hint when the destination refuses", async () => {
    receiver.reply({ status: 401 });
    const result = await runCli(["integrations", "test", "team-hook"], { cwd, env: { TEST_WEBHOOK_SECRET } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("team-hook (webhook) failed: POST a signed ping event: HTTP 401");
    expect(result.stdout).toContain("Hint: The destination refused the secret at env:TEST_WEBHOOK_SECRET");
  });
});
