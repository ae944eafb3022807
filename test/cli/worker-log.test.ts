import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { cliPath, runCli, startCli } from "../support/cli.js";
import { useCliWorkspace } from "../support/cli-workspace.js";

const SCRIPT = "/usr/bin/script";
/** A source whose pull fails at once (no key, a closed port): every tick of --pull-every logs pull.done. */
const BROKEN_SOURCE = [
  "sources",
  "add",
  "broken",
  "--store",
  "google-play",
  "--app",
  "com.example",
  "--key-env",
  "NO_SUCH_KEY",
  "--base-url",
  "http://127.0.0.1:9",
  "--token-url",
  "http://127.0.0.1:9/token",
];
const WORKER = ["worker", "--pull-every", "60"];

/** Runs `worker` on a pseudo-terminal (script(1)) until `pattern` shows, then interrupts it; resolves the output. */
function workerOnTerminal(cwd: string, env: NodeJS.ProcessEnv, pattern: RegExp): Promise<string> {
  const { CI: _ci, ...withoutCi } = process.env;
  // The shell prints its pid and becomes the worker (exec): the test signals that pid, as Ctrl-C would.
  const command = `echo worker-pid=$$; exec ${[process.execPath, cliPath, ...WORKER].join(" ")}`;
  const child = spawn(SCRIPT, ["-qec", `sh -c '${command}'`, "/dev/null"], {
    cwd,
    env: { ...withoutCi, ANTHROPIC_API_KEY: "", FEEDBACK_TRIAGE_AGENTS: "offline", DATABASE_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`The worker never printed ${pattern}:\n${output}`));
    }, 60_000);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const pid = /worker-pid=(\d+)/.exec(output)?.[1];
      if (pid && pattern.test(output)) process.kill(Number(pid), "SIGINT");
    });
    child.on("close", () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}

describe("feedback-cli worker logs", () => {
  const workspace = useCliWorkspace("ft-worker-log-");
  beforeAll(async () => {
    const added = await runCli(BROKEN_SOURCE, { cwd: workspace.cwd, env: workspace.env() });
    expect(added.code, added.stderr).toBe(0);
  }, 120_000);

  it("as JSON lines when its output is piped", async () => {
    const worker = await startCli(WORKER, { cwd: workspace.cwd, env: workspace.env(), ready: /pull\.done.*\n/ });
    worker.child.kill("SIGINT");
    await worker.exited;
    const line = worker
      .output()
      .split("\n")
      .find((l) => l.includes("pull.done"))!;
    expect(JSON.parse(line)).toMatchObject({ level: "warn", event: "pull.done", failed: 1, failedSources: ["broken"] });
  });

  it.skipIf(!existsSync(SCRIPT))("as short readable lines on a terminal", async () => {
    const output = await workerOnTerminal(workspace.cwd, workspace.env(), /pull\.done[^\n]*\n/);
    expect(output).toMatch(/\d\d:\d\d:\d\d WARN {2}pull\.done enqueued=0 .*failed=1/);
    expect(output).not.toContain('"event"');
  });
});
