import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../infra/bundle.js";
import { json, type Recording } from "./support/harness.js";
import { EXAMPLE_DASHBOARD, recordStack } from "./support/stack.js";

// biome-ignore lint/suspicious/noExplicitAny: the runner is plain JavaScript
const runner = (): Promise<any> => import(pathToFileURL(path.join(REPO_ROOT, "infra/lambdas/run-migration.mjs")).href);

/** The large tier's analytics replica serves the dashboard's aggregate reads (sdk/aws/backend.ts insights). */
describe("analytics read replica", () => {
  let large: Recording;
  let small: Recording;
  beforeAll(async () => {
    large = await recordStack({ ...EXAMPLE_DASHBOARD, scale: "large" });
    small = await recordStack({ ...EXAMPLE_DASHBOARD, scale: "small" });
  });

  const dashboardSecrets = (r: Recording) =>
    (json(r.named("feedback-dashboard-task").inputs.containerDefinitions)[0].secrets as { name: string }[]).map(
      (s) => s.name,
    );
  const runnerInput = (r: Recording) => json(r.named("feedback-worker-migration-run").inputs.input);

  it("hands the replica's address to the migration step, which writes its URL into the application secret", async () => {
    const replica = large.named("feedback-database-analytics-replica");
    expect(replica.inputs.replicateSourceDb).toBeDefined();
    expect(runnerInput(large).readerHost).toEqual(expect.stringContaining("analytics-replica"));
    expect(runnerInput(small)).not.toHaveProperty("readerHost");
  });

  it("gives the dashboard DATABASE_READER_URL from the secret where the replica exists, and only there", () => {
    const [container] = json(large.named("feedback-dashboard-task").inputs.containerDefinitions);
    expect(container.secrets).toContainEqual({
      name: "DATABASE_READER_URL",
      valueFrom: expect.stringMatching(/app-credentials:readerUrl::$/),
    });
    // ECS cannot start a task whose secret key is missing: no replica, no reader key asked for.
    expect(dashboardSecrets(small)).toEqual(["DATABASE_URL"]);
  });

  it("writes the replica's URL with the application role's own credentials (a replica copies roles)", async () => {
    const { appCredentials } = await runner();
    const input = { appUsername: "feedback_app", host: "primary.rds", port: 5432, database: "feedback" };
    const withReplica = appCredentials({ ...input, readerHost: "replica.rds" }, "pw");
    expect(withReplica.url).toBe("postgres://feedback_app:pw@primary.rds:5432/feedback?sslmode=verify-full");
    expect(withReplica.readerUrl).toBe("postgres://feedback_app:pw@replica.rds:5432/feedback?sslmode=verify-full");
    expect(appCredentials(input, "pw")).not.toHaveProperty("readerUrl");
  });
});
