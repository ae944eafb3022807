import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

const preload = new URL("../fixtures/cli/unhandled-rejection.mjs", import.meta.url).href;

describe("the CLI's last resort", () => {
  it("reports a rejection nothing handled as its error and hint, exit 1, with no stack trace", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "ft-cli-unhandled-"));
    const result = await runCli(["status"], { cwd, env: { NODE_OPTIONS: `--import ${preload}` } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: The process that owned the database folder went away\n  Re-run the command.\n");
  });
});
