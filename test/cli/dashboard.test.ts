import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

describe("feedback-cli dashboard", () => {
  it("refuses --host 0.0.0.0 --auth alb without DASHBOARD_ALB_ARN: exit 1 (a setting to fix), naming it and how to set it", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "ft-dashboard-"));
    const result = await runCli(["dashboard", "--host", "0.0.0.0", "--port", "0", "--auth", "alb"], {
      cwd,
      env: { AWS_REGION: "eu-west-1", DASHBOARD_ALB_ARN: "", DASHBOARD_ALB_REGION: "" },
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /Refusing to serve the dashboard on 0\.0\.0\.0 with ALB authentication but no DASHBOARD_ALB_ARN/,
    );
    expect(result.stderr).toMatch(/Set DASHBOARD_ALB_ARN to the ARN of the load balancer/);
    expect(result.stdout).not.toMatch(/Dashboard on/);
  });
});
