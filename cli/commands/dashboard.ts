import { type Command, InvalidArgumentError, Option } from "commander";
import { commandConfig, type LoadConfig } from "../context.js";
import { printText } from "../io.js";

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
    .description("Serve the web dashboard (overview, tickets, review, configuration, analytics, quality, operations)")
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
      // Loaded here so that other commands do not pay for the web server's modules.
      const { startDashboard } = await import("../../dashboard/server/start.js");
      const dashboard = await startDashboard({
        host: flags.host,
        port: flags.port,
        auth: flags.auth,
        config,
        worker: flags.worker,
        evalRoot: flags.evalDir ?? process.cwd(),
      });
      printText(`Dashboard on ${dashboard.url}/ (${dashboard.backend.description})`);
      printText(dashboard.workerInProcess ? "The worker runs in this process. Ctrl-C stops both." : "Ctrl-C stops it.");
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await dashboard.close();
    });
}
