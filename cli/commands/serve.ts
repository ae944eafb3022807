import { once } from "node:events";
import type { Command } from "commander";
import { summaryOf } from "../command-list.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { isInteractive, printText } from "../io.js";
import { parseNonNegativeInt } from "../parse-options.js";
import type { RunningServe } from "../services/serve-service.js";
import { withSignalStop } from "../signals.js";

interface ServeFlags {
  port: number;
  host: string;
  agents?: string;
  worker: boolean;
}

export function readyText(server: RunningServe, description: string, worker: boolean): string {
  const lines = [`Listening on ${server.url}`];
  for (const channel of server.enabled) lines.push(`  POST ${server.url}/webhooks/${channel}`);
  for (const channel of server.disabled)
    lines.push(`  (off) /webhooks/${channel}: set FEEDBACK_WEBHOOK_SECRET_${channel.toUpperCase()} to enable it`);
  for (const tracker of server.trackers) lines.push(`  POST ${server.url}/integrations/${tracker}/events`);
  lines.push(`  GET  ${server.url}/health`);
  lines.push(
    worker
      ? `Worker running in this process on ${description}.`
      : `Worker not started (--no-worker): run 'feedback-cli worker' to make tickets.`,
  );
  if (!/^(127\.|::1$|localhost$)/.test(server.host))
    lines.push(`Warning: ${server.host} is reachable from other machines; use a tunnel with TLS for a sender outside.`);
  return lines.join("\n");
}

export function registerServeCommand(program: Command, loadConfig: LoadConfig): void {
  program
    .command("serve")
    .description(summaryOf("serve"))
    .option("--port <n>", "port to listen on (0 = any free port)", parseNonNegativeInt("--port", 65_535), 8787)
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--agents <crew>", "offline, claude or hybrid")
    .option("--no-worker", "only accept webhooks; run 'feedback-cli worker' separately")
    .addHelpText(
      "after",
      `
Secrets (one per sender; a sender without one is refused):
  FEEDBACK_WEBHOOK_SECRET_ZENDESK, FEEDBACK_WEBHOOK_SECRET_INTERCOM, FEEDBACK_WEBHOOK_SECRET_GENERIC
Tracker destinations with a webhookSecretRef take their status events at /integrations/<destination>/events.
See docs/webhooks.md for the signature formats. Ctrl-C / SIGTERM stops after the requests and batch in hand.`,
    )
    .action(async (flags: ServeFlags, command: Command) => {
      const config = commandConfig(loadConfig, command);
      const { webhookSecretsOf } = await import("../../app/webhooks/webhook.js");
      const { startServe } = await import("../services/serve-service.js");
      const secrets = webhookSecretsOf(config.webhooks);
      await withSignalStop(
        (stop) =>
          withBackend(
            config,
            async (backend) => {
              const server = await startServe(backend, {
                host: flags.host,
                port: flags.port,
                secrets,
                worker: flags.worker,
                agents: flags.agents,
                config,
                logFormat: isInteractive(false, config.cli.ci) ? "human" : "json",
              });
              printText(readyText(server, backend.description, flags.worker));
              // The listening server keeps the process alive until the signal comes.
              if (!stop.signal.aborted) await once(stop.signal, "abort");
              const { requests, worker } = await server.close();
              const answered =
                Object.entries(requests)
                  .map(([status, n]) => `${n}x${status}`)
                  .join(", ") || "none";
              printText(
                `Stopped. Requests answered: ${answered}.${worker ? ` Worker: ${worker.created} tickets created, ${worker.duplicates} duplicates, ${worker.failed} failed.` : ""}`,
              );
            },
            { role: flags.worker ? "owner" : "auto" },
          ),
        { notice: "Stopping after the requests and batch in hand" },
      );
    });
}
