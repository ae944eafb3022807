import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Command, InvalidArgumentError, Option } from "commander";
import { summaryOf } from "../command-list.js";
import { commandConfig, type LoadConfig } from "../context.js";
import { withSignalStop } from "../signals.js";

interface DashboardFlags {
  port: number;
  host: string;
  auth?: string;
  worker: boolean;
  evalDir?: string;
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new InvalidArgumentError("--port must be a port number (0 picks a free one).");
  return port;
}

export function registerDashboardCommand(program: Command, loadConfig: LoadConfig): void {
  program
    .command("dashboard")
    .description(summaryOf("dashboard"))
    .option("--port <n>", "port to listen on (0 picks a free one)", parsePort, 8080)
    .option("--host <address>", "address to bind; anything but loopback needs --auth alb", "127.0.0.1")
    .addOption(
      new Option(
        "--auth <mode>",
        "authentication: none (loopback only) or alb (behind an AWS load balancer); default DASHBOARD_AUTH",
      ).choices(["none", "alb"]),
    )
    .option("--no-worker", "do not process the queue in this process, even when it owns the embedded database")
    .option(
      "--eval-dir <path>",
      "folder the Quality page may read expected-labels files from by path (default: the current folder)",
    )
    .action(async (flags: DashboardFlags, command: Command) => {
      const config = commandConfig(loadConfig, command);
      process.exitCode = await runDashboardProcess({
        HOST: flags.host,
        PORT: String(flags.port),
        DASHBOARD_WORKER: flags.worker ? "true" : "false",
        DASHBOARD_EVAL_DIR: path.resolve(flags.evalDir ?? process.cwd()),
        FEEDBACK_DATA_DIR: config.backend.dataDir,
        ...(flags.auth ? { DASHBOARD_AUTH: flags.auth } : {}),
      });
    });
}

/**
 * The dashboard is its own front end with its own entry point (dist/dashboard/server.js, also the
 * container's); the CLI starts it as a child process with the flags as its settings. The first Ctrl-C /
 * SIGTERM is passed on and the CLI exits with the child's code once it has stopped (0); a second one
 * kills the child and exits at once (130 / 143). The child also stops when this process goes away
 * (its IPC channel closes), so it is never left running on its own.
 */
async function runDashboardProcess(settings: Record<string, string>): Promise<number> {
  const entry = fileURLToPath(new URL("../../dashboard/server.js", import.meta.url));
  const child = spawn(process.execPath, [entry], {
    stdio: ["inherit", "inherit", "inherit", "ipc"],
    env: { ...process.env, ...settings },
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 0 : 1)));
  });
  return withSignalStop(
    async (stop) => {
      stop.signal.addEventListener("abort", () => child.kill(stop.received ?? "SIGTERM"), { once: true });
      return exited;
    },
    { notice: "Stopping the dashboard after the requests and batch in hand", onForce: () => child.kill("SIGKILL") },
  );
}
