import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  IntegrationDeliveriesJson,
  IntegrationDestinationsJson,
  IntegrationReplayJson,
} from "../../cli/output-schemas.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { openLocalBackend } from "../../sdk/open-backend.js";
import { insertTickets } from "../../sdk/store/ticket-writer.js";
import { runCli } from "../support/cli.js";
import { testBackend } from "../support/database.js";
import { makeNewTicket } from "../support/factories.js";
import { makeDestination } from "../support/integration-factories.js";

describe.skipIf(testBackend === "postgres")("feedback-cli integrations", () => {
  let cwd: string;
  let failedId: string;

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), "ft-integrations-"));
    const { backend, database } = await openLocalBackend({
      config: loadRuntimeConfig({}),
      dataDir: path.join(cwd, ".feedback-triage"),
    });
    try {
      await backend.integrations.saveDestination(makeDestination());
      await insertTickets(database.sql, [makeNewTicket(), makeNewTicket()]);
      const [claimed] = await backend.integrations.claimDue({ limit: 1, leaseMs: 0 });
      failedId = claimed!.id;
      await backend.integrations.record(failedId, { kind: "failed", status: 404, error: "HTTP 404", retryAt: null });
    } finally {
      await backend.close();
    }
  });

  it("lists the failed deliveries with their last answer", async () => {
    const result = await runCli(["integrations", "deliveries", "--status", "failed", "--json"], { cwd });
    expect(result.stderr).toBe("");
    expect(IntegrationDeliveriesJson.parse(JSON.parse(result.stdout))).toEqual([
      expect.objectContaining({ id: failedId, status: "failed", lastStatus: 404, type: "ticket.created" }),
    ]);
  });

  it("shows every delivery in the text listing with how to replay", async () => {
    const result = await runCli(["integrations", "deliveries"], { cwd });
    expect(result.stdout).toMatch(/2 deliveries/);
    expect(result.stdout).toMatch(/feedback-cli integrations replay/);
  });

  it("replays the failed deliveries and reports an unknown id as not found (exit 1)", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    const byId = await runCli(["integrations", "replay", unknown, "--json"], { cwd });
    expect(IntegrationReplayJson.parse(JSON.parse(byId.stdout))).toEqual({ replayed: [], notFound: [unknown] });
    expect(byId.code).toBe(1);
    const all = await runCli(["integrations", "replay", "--failed", "--json"], { cwd });
    expect(IntegrationReplayJson.parse(JSON.parse(all.stdout))).toEqual({ replayed: [failedId], notFound: [] });
  });

  it("adds a destination by the secret's reference, never its value", async () => {
    await runCli(
      ["integrations", "add", "ops-hook", "--url", "https://example.com/hook", "--secret", "env:OPS_HOOK_SECRET"],
      { cwd },
    );
    const listed = await runCli(["integrations", "list", "--json"], { cwd });
    expect(IntegrationDestinationsJson.parse(JSON.parse(listed.stdout))).toContainEqual(
      expect.objectContaining({ name: "ops-hook", secretRef: "env:OPS_HOOK_SECRET", enabled: true }),
    );
  });

  it("refuses a destination whose secret is given as a value", async () => {
    const result = await runCli(["integrations", "add", "x", "--url", "https://example.com", "--secret", "whsec_abc"], {
      cwd,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/env:NAME/);
    expect(result.stderr).not.toMatch(/whsec_abc/);
  });
});
