import type { Command } from "commander";
import { createLog, logFormatFor } from "../../sdk/log.js";
import { summaryOf } from "../command-list.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { printJson, printText } from "../io.js";
import { WorkerRunJson } from "../output-schemas.js";
import { parseNonNegativeInt, parsePositiveInt } from "../parse-options.js";
import { WorkerProgress, workerDoneText } from "../presenters/worker-presenter.js";
import { withSignalStop } from "../signals.js";

interface WorkerFlags {
  once?: boolean;
  batchSize: number;
  agents?: string;
  visibilityTimeout?: number;
  webhookTimeout?: number;
  pullEvery?: number;
  json?: boolean;
}

export function registerWorkerCommand(program: Command, loadConfig: LoadConfig): void {
  program
    .command("worker")
    .description(summaryOf("worker"))
    .option("--once", "stop when the queue is empty")
    .option("--batch-size <n>", "messages per receive (1-1000)", parsePositiveInt("--batch-size", 1000), 100)
    .option("--agents <crew>", "offline, claude or hybrid")
    .option(
      "--visibility-timeout <seconds>",
      "how long a received batch stays hidden from other workers (default: the queue's, 300)",
      parseNonNegativeInt("--visibility-timeout", 43_200),
    )
    .option(
      "--webhook-timeout <seconds>",
      "how long an outbound webhook may take to answer (default 10); a delivery stays leased three times that",
      parsePositiveInt("--webhook-timeout", 300),
    )
    .option(
      "--pull-every <minutes>",
      "also pull the configured store sources (feedback-cli sources add) now and every so many minutes",
      parsePositiveInt("--pull-every", 24 * 60),
    )
    .option("--json", "print the totals as JSON when done")
    .action(async (flags: WorkerFlags, command: Command) => {
      const config = commandConfig(loadConfig, command);
      const { runWorkerService } = await import("../../app/worker/worker-service.js");
      const { secretResolver } = await import("../../app/integrations/secrets.js");
      const progress = flags.json ? null : new WorkerProgress(printText);
      const { totals, stopped } = await withSignalStop(
        (stop) =>
          withBackend(
            config,
            async (backend) => {
              const totals = await runWorkerService(backend, {
                once: flags.once,
                batchSize: flags.batchSize || 1,
                agents: flags.agents,
                agentsConfig: config.agents,
                signal: stop.signal,
                visibilityTimeoutSeconds: flags.visibilityTimeout,
                webhookTimeoutMs: flags.webhookTimeout === undefined ? undefined : flags.webhookTimeout * 1000,
                secrets: secretResolver(config.credentialEnv),
                // Human lines on a terminal, JSON when piped; with --json stdout carries only the totals.
                log: createLog(
                  config.log.level,
                  logFormatFor(process.stdout, config.cli.ci),
                  flags.json ? "stderr" : "split",
                ),
                pull: flags.pullEvery
                  ? { everyMs: flags.pullEvery * 60_000, connector: { env: config.credentialEnv } }
                  : undefined,
                onBatch: (outcome) => progress?.batch(outcome),
                onReady: () => {
                  if (!flags.json)
                    printText(
                      `Worker started on ${backend.description}${flags.once ? " (until the queue is empty)" : ""}.`,
                    );
                },
              });
              if (!stop.received) return { totals, stopped: null };
              const depth = await backend.queue.depth();
              return {
                totals,
                stopped: { stoppedBy: stop.received, left: depth.visible + depth.inFlight + depth.delayed },
              };
            },
            // Another process owning the folder is waited for: the worker takes over when it exits.
            { role: "owner", waitForOwner: { signal: stop.signal } },
          ),
        { notice: "Stopping after the batch in hand" },
      );
      if (flags.json) printJson(WorkerRunJson, { ...totals, ...stopped });
      else printText(workerDoneText(totals, stopped));
    });
}
