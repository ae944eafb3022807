import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { drainQueue } from "../../app/worker/worker-service.js";
import { DlqListJson, DlqReplayJson, DlqShowJson, StatusJson } from "../../cli/output-schemas.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { openBackend } from "../../sdk/open-backend.js";
import { runCli } from "../support/cli.js";
import { testBackend } from "../support/database.js";
import { makeMessageBody } from "../support/factories.js";

describe.skipIf(testBackend === "postgres")("feedback-cli dlq", () => {
  let cwd: string;
  let poisonId: string;

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), "ft-dlq-"));
    // A message no worker can process (its body is not a feedback message) and one that is fine.
    const config = loadRuntimeConfig({});
    const backend = await openBackend({ config, dataDir: path.join(cwd, ".feedback-triage") });
    try {
      [poisonId] = (await backend.queue.send([{ body: { kind: "something-else" } }, { body: makeMessageBody() }])) as [
        string,
      ];
      await drainQueue(backend, { agents: "offline", agentsConfig: config.agents });
    } finally {
      await backend.close();
    }
  });

  it("lists the dead letter with its receive count and last error", async () => {
    const result = await runCli(["dlq", "list", "--json"], { cwd });
    expect(result.stderr).toBe("");
    const letters = DlqListJson.parse(JSON.parse(result.stdout));
    expect(letters).toEqual([
      expect.objectContaining({
        messageId: poisonId,
        receiveCount: 5,
        lastError: expect.stringMatching(/Invalid message body/),
      }),
    ]);
  });

  it("shows the error in the text listing with how to replay", async () => {
    const result = await runCli(["dlq", "list"], { cwd });
    expect(result.stdout).toMatch(/Invalid message body/);
    expect(result.stdout).toMatch(/feedback-cli dlq replay --id/);
  });

  it("shows one dead letter in full by a prefix of its id: the whole error and the body", async () => {
    const result = await runCli(["dlq", "show", poisonId.slice(0, 8), "--json"], { cwd });
    expect(result.stderr).toBe("");
    expect(DlqShowJson.parse(JSON.parse(result.stdout))).toMatchObject({
      messageId: poisonId,
      lastError: expect.stringMatching(/Invalid message body/),
      body: { kind: "something-else" },
    });
  });

  it("shows the body as indented JSON and how to replay it in the text view", async () => {
    const result = await runCli(["dlq", "show", poisonId], { cwd });
    expect(result.stdout).toMatch(/Message body:\n\{\n {2}"kind": "something-else"\n\}/);
    expect(result.stdout).toContain(`feedback-cli dlq replay --id ${poisonId}`);
  });

  it("says how to list the dead letters when the id is unknown, exit 1", async () => {
    const result = await runCli(["dlq", "show", "00000000-0000-4000-8000-000000000000"], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No dead letter 00000000-.*\n.*feedback-cli dlq list/);
  });

  it("previews a replay with --dry-run without moving anything", async () => {
    const result = await runCli(["dlq", "replay", "--id", poisonId, "--dry-run", "--json"], { cwd });
    expect(DlqReplayJson.parse(JSON.parse(result.stdout))).toEqual({ dryRun: true, moved: [poisonId], notFound: [] });
    const status = StatusJson.parse(JSON.parse((await runCli(["status", "--json"], { cwd })).stdout));
    expect(status.dlq.depth).toBe(1);
  });

  it("without a terminal, exits 2 naming --id and --all when neither is given", async () => {
    const result = await runCli(["dlq", "replay"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--id <messageId>.*--all/);
  });

  it("takes a unique prefix of the message id for --id", async () => {
    const result = await runCli(["dlq", "replay", "--id", poisonId.slice(0, 8), "--dry-run", "--json"], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(DlqReplayJson.parse(JSON.parse(result.stdout))).toEqual({ dryRun: true, moved: [poisonId], notFound: [] });
  });

  it("moves the message back to the queue and reports unknown ids", async () => {
    const result = await runCli(
      ["dlq", "replay", "--id", poisonId, "--id", "00000000-0000-0000-0000-000000000000", "--json"],
      { cwd },
    );
    expect(result.code).toBe(1);
    expect(DlqReplayJson.parse(JSON.parse(result.stdout))).toEqual({
      dryRun: false,
      moved: [poisonId],
      notFound: ["00000000-0000-0000-0000-000000000000"],
    });
    const status = StatusJson.parse(JSON.parse((await runCli(["status", "--json"], { cwd })).stdout));
    expect(status).toMatchObject({ dlq: { depth: 0 }, queue: { visible: 1 }, tickets: { total: 1 } });
  });
});
