import { mkdtemp, writeFile } from "node:fs/promises";
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

  it("adds a GitHub tracker with its settings from a file, at GitHub's API by default; the list shows its kind", async () => {
    const settings = path.join(cwd, "gh-settings.json");
    await writeFile(settings, JSON.stringify({ repository: "acme/notes", rules: [{ priorities: ["Critical"] }] }));
    const added = await runCli(
      ["integrations", "add", "gh", "--kind", "github", "--secret", "env:GH_TOKEN", "--settings", `@${settings}`],
      { cwd },
    );
    expect(added.stderr).toBe("");
    const listed = await runCli(["integrations", "list", "--json"], { cwd });
    expect(IntegrationDestinationsJson.parse(JSON.parse(listed.stdout))).toContainEqual(
      expect.objectContaining({
        name: "gh",
        kind: "github",
        url: "https://api.github.com",
        settings: { repository: "acme/notes", rules: [{ priorities: ["Critical"] }] },
      }),
    );
    expect((await runCli(["integrations", "list"], { cwd })).stdout).toMatch(/gh\s+github\s+on/);
  });

  it("refuses a tracker whose settings are invalid, naming the setting and where to read about it", async () => {
    const result = await runCli(
      ["integrations", "add", "lin", "--kind", "linear", "--secret", "env:LINEAR_KEY", "--settings", '{"team":"x"}'],
      { cwd },
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Invalid linear settings/);
    expect(result.stderr).toMatch(/teamId/);
    expect(result.stderr).toMatch(/docs\/integrations\.md#trackers/);
  });

  it("exits 2 naming the flag when a Jira tracker has no --url or the settings are not JSON", async () => {
    const noUrl = await runCli(
      ["integrations", "add", "j", "--kind", "jira", "--secret", "env:J", "--settings", '{"project":"FT"}'],
      { cwd },
    );
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/--url is required for a jira destination/);
    const notJson = await runCli(
      ["integrations", "add", "g", "--kind", "github", "--secret", "env:G", "--settings", "{"],
      {
        cwd,
      },
    );
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/--settings/);
  });
});
