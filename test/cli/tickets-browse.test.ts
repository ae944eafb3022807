import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

describe("feedback-cli tickets browse without a terminal", () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), "ft-browse-"));
  });

  it("refuses with exit 2, naming tickets list and tickets export", async () => {
    const result = await runCli(["tickets", "browse", "--priority", "critical"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /needs an interactive terminal.*'feedback-cli tickets list'.*'feedback-cli tickets export'/,
    );
  });

  it("checks its filters as tickets list does: a bad one exits 2 naming the flag", async () => {
    const result = await runCli(["tickets", "browse", "--priority", "urgentish"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--priority/);
  });
});
