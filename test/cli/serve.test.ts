import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TicketsListJson } from "../../cli/output-schemas.js";
import { genericBody, intercomBody, SECRETS, signedHeaders, zendeskBody } from "../app/webhooks/webhook-fixtures.js";
import { type RunningCli, runCli, startCli } from "../support/cli.js";
import { createTestDatabase, type TestDatabase, testBackend } from "../support/database.js";

const secretsEnv = {
  FEEDBACK_WEBHOOK_SECRET_GENERIC: SECRETS.generic,
  FEEDBACK_WEBHOOK_SECRET_ZENDESK: SECRETS.zendesk,
  FEEDBACK_WEBHOOK_SECRET_INTERCOM: SECRETS.intercom,
  FEEDBACK_LOG_LEVEL: "warn",
};

describe("feedback-cli serve", () => {
  let cwd: string;
  let db: TestDatabase | null = null;
  let server: RunningCli | null = null;
  let base = "";
  const backendEnv = () => (db?.url ? { DATABASE_URL: db.url } : {});

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), "ft-serve-"));
    if (testBackend === "postgres") db = await createTestDatabase();
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill("SIGKILL");
    await db?.close();
  });

  it("refuses to start without any webhook secret, naming the variables", async () => {
    const result = await runCli(["serve", "--port", "0"], {
      cwd,
      env: { ...backendEnv(), FEEDBACK_WEBHOOK_SECRET_GENERIC: "" },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No webhook secret is set/);
    expect(result.stderr).toMatch(/FEEDBACK_WEBHOOK_SECRET_GENERIC/);
  });

  it("accepts a signed webhook over HTTP on 127.0.0.1 and the item becomes a ticket", async () => {
    server = await startCli(["serve", "--port", "0"], {
      cwd,
      env: { ...backendEnv(), ...secretsEnv },
      ready: /Worker running/,
    });
    base = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())![1]!;

    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", worker: "running" });

    const body = genericBody("serve-1", { text: "The app crashes when I tap Pay on the checkout page." });
    const accepted = await fetch(`${base}/webhooks/generic`, {
      method: "POST",
      headers: { "content-type": "application/json", ...signedHeaders("generic", body) },
      body,
    });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ status: "accepted", sourceId: "generic:serve-1" });

    const ticket = await waitForTicket(cwd, backendEnv(), "generic:serve-1");
    expect(ticket).toMatchObject({ sourceType: "webhook", channel: "generic", sourceId: "generic:serve-1" });
  });

  it("turns away a bad signature (401) and a redelivery (200, no second ticket); takes Zendesk and Intercom too", async () => {
    const body = genericBody("serve-1", { text: "The app crashes when I tap Pay on the checkout page." });
    const again = await fetch(`${base}/webhooks/generic`, {
      method: "POST",
      headers: signedHeaders("generic", body),
      body,
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: "duplicate" });

    const forged = await fetch(`${base}/webhooks/generic`, {
      method: "POST",
      headers: signedHeaders("generic", body, new Date(), "not-the-secret"),
      body,
    });
    expect(forged.status).toBe(401);

    const big = "x".repeat(300 * 1024);
    expect((await fetch(`${base}/webhooks/generic`, { method: "POST", body: big })).status).toBe(413);

    const zd = zendeskBody(5150);
    expect(
      (await fetch(`${base}/webhooks/zendesk`, { method: "POST", headers: signedHeaders("zendesk", zd), body: zd }))
        .status,
    ).toBe(202);
    const ic = intercomBody("7070");
    expect(
      (await fetch(`${base}/webhooks/intercom`, { method: "POST", headers: signedHeaders("intercom", ic), body: ic }))
        .status,
    ).toBe(202);
    await waitForTicket(cwd, backendEnv(), "zendesk:5150");
    await waitForTicket(cwd, backendEnv(), "intercom:7070");
    const list = await runCli(["tickets", "list", "--source", "webhook", "--json"], { cwd, env: backendEnv() });
    expect(
      TicketsListJson.parse(JSON.parse(list.stdout))
        .map((t) => t.sourceId)
        .sort(),
    ).toEqual(["generic:serve-1", "intercom:7070", "zendesk:5150"]);
  });

  it("attaches an e-mail reply ingested meanwhile to the ticket of its thread, as the worker does", async () => {
    const mbox = path.join(cwd, "thread.mbox");
    await writeFile(mbox, threadMbox());
    const ingest = await runCli(["ingest", mbox, "--json"], { cwd, env: backendEnv() });
    expect(ingest.code, ingest.stderr).toBe(0);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const root = await waitForTicket(cwd, backendEnv(), "email:root-1@example.com");
      if (root.reach === 2) break;
      if (Date.now() > deadline) throw new Error(`the reply never joined its thread: ${JSON.stringify(root)}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  });

  it("stops on SIGTERM after the requests in hand, saying what it did", async () => {
    server!.child.kill("SIGTERM");
    expect(await server!.exited).toBe(0);
    expect(server!.output()).toMatch(/Stopped\. Requests answered: .*3x202.*Worker: 5 tickets created/s);
  });
});

async function waitForTicket(cwd: string, env: NodeJS.ProcessEnv, sourceId: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const list = await runCli(["tickets", "list", "--search", sourceId, "--json"], { cwd, env });
    if (list.code === 0) {
      const found = TicketsListJson.parse(JSON.parse(list.stdout)).find((t) => t.sourceId === sourceId);
      if (found) return found;
    }
    if (Date.now() > deadline) throw new Error(`no ticket for ${sourceId}: ${list.stdout} ${list.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Two messages of one thread: a report and the customer's follow-up answering it. */
function threadMbox(): string {
  const message = (id: string, subject: string, body: string, inReplyTo?: string) =>
    [
      "From ana@example.com Mon Dec  7 09:00:00 2026",
      "From: Ana <ana@example.com>",
      "To: support@example.com",
      `Subject: ${subject}`,
      "Date: Mon, 7 Dec 2026 09:00:00 +0000",
      `Message-ID: <${id}>`,
      ...(inReplyTo ? [`In-Reply-To: <${inReplyTo}>`, `References: <${inReplyTo}>`] : []),
      "Content-Type: text/plain; charset=utf-8",
      "",
      body,
      "",
    ].join("\n");
  return (
    message("root-1@example.com", "Export fails", "Exporting my notes to PDF fails with error 500 every time.") +
    message(
      "reply-1@example.com",
      "Re: Export fails",
      "It still fails after updating to 4.2, same error 500.",
      "root-1@example.com",
    )
  );
}
