import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const cliPath = path.join(repoRoot, "dist/cli/bin.js");
export const sampleDir = path.resolve(repoRoot, "../shared/data/capstone-dev");

// Children left running by a test that timed out are killed with the test process.
const running = new Set<import("node:child_process").ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

function track<T extends import("node:child_process").ChildProcess>(child: T): T {
  running.add(child);
  child.once("close", () => running.delete(child));
  return child;
}

/** Tests never reach a real API or a developer's database, whatever the shell has set. */
const HERMETIC_ENV = {
  CI: "true",
  DATABASE_URL: "",
  ANTHROPIC_API_KEY: "",
  FEEDBACK_TRIAGE_AGENTS: "offline",
  FEEDBACK_DATA_DIR: "",
};

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled feedback-cli as a user would (built by `npm test`'s pretest step). */
export function runCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CliResult> {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run 'npm run build' first (npm test does).`);
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(process.execPath, [cliPath, ...args], {
        cwd: options.cwd,
        env: { ...process.env, ...HERMETIC_ENV, ...options.env },
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningCli {
  child: import("node:child_process").ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts a long-running command (e.g. `worker`) and resolves once its output matches `ready` (at once without). */
export async function startCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; ready?: RegExp; timeoutMs?: number },
): Promise<RunningCli> {
  const child = track(
    spawn(process.execPath, [cliPath, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...HERMETIC_ENV, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const { ready } = options;
  if (!ready) {
    const collect = (chunk: Buffer) => {
      output += chunk;
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    return { child, output: () => output, exited };
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`'${args.join(" ")}' not ready: ${output}`)),
      options.timeoutMs ?? 50_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`'${args.join(" ")}' exited before it was ready: ${output}`));
    });
  });
  return { child, output: () => output, exited };
}
