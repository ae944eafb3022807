import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLog } from "../../sdk/log.js";
import { insertTickets } from "../../sdk/store/ticket-writer.js";
import { createTicketsLambda } from "../../worker/handlers/tickets-lambda.js";
import { openTestBackend, type TestBackend } from "../support/backend.js";
import { runCli } from "../support/cli.js";
import { makeItem, makeNewTicket } from "../support/factories.js";
import { CALLER_ARN, OPERATOR, REGION, startFakeApiGateway } from "../support/fake-api-gateway.js";

/** `feedback-cli --profile prod tickets ...` from a "laptop": the profile names the operator API, nothing else. */
describe("feedback-cli with a profile naming the stack's operator API", () => {
  let fixture: TestBackend;
  let gateway: Awaited<ReturnType<typeof startFakeApiGateway>>;
  let cwd: string;
  const ticket = makeNewTicket({
    title: "[BUG] Login loops on Android 15",
    priority: "Critical",
    item: makeItem({ sourceId: "cli-op-1" }),
  });

  beforeAll(async () => {
    fixture = await openTestBackend();
    await insertTickets(fixture.db.sql, [ticket]);
    gateway = await startFakeApiGateway(
      createTicketsLambda(async () => ({ backend: fixture.backend, log: memoryLog() })),
    );
    cwd = await mkdtemp(path.join(tmpdir(), "ft-operator-cli-"));
    await writeFile(
      path.join(cwd, "profiles.json"),
      JSON.stringify({ profiles: { prod: { operatorApiUrl: gateway.url, region: REGION } } }),
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await fixture?.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  const cli = (args: string[], secret = OPERATOR.secretAccessKey) =>
    runCli(["--profile", "prod", ...args], {
      cwd,
      env: {
        FEEDBACK_PROFILES_FILE: path.join(cwd, "profiles.json"),
        AWS_ACCESS_KEY_ID: OPERATOR.accessKeyId,
        AWS_SECRET_ACCESS_KEY: secret,
        AWS_PROFILE: "",
        AWS_CONFIG_FILE: path.join(cwd, "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(cwd, "no-aws-credentials"),
      },
    });

  it("lists, shows and approves the stack's tickets through the signed API, recording the IAM caller", async () => {
    const list = await cli(["tickets", "list", "--json"]);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).map((t: { title: string }) => t.title)).toEqual(["[BUG] Login loops on Android 15"]);

    const show = await cli(["tickets", "show", ticket.id.slice(0, 8), "--json"]);
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ id: ticket.id, priority: "Critical" });

    const approve = await cli(["tickets", "approve", ticket.id, "--reason", "reproduced", "--yes", "--json"]);
    expect(approve.code, approve.stderr).toBe(0);
    const history = (await fixture.backend.tickets.get(ticket.id))!.history;
    expect(history.at(-1)).toMatchObject({ actor: CALLER_ARN, reason: "reproduced" });
    expect(gateway.seen.every((s) => s.signed)).toBe(true);
  });

  it("fails with access denied and the grant to ask for when the signature does not verify", async () => {
    const denied = await cli(["tickets", "list", "--json"], "not-the-secret");
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/operator API refused the request/);
    expect(denied.stderr).toMatch(/execute-api:Invoke/);
  });
});
