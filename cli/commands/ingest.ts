import path from "node:path";
import { type Command, Option } from "commander";
import type { Backend } from "../../sdk/backend.js";
import { TEXT_ENCODINGS, type TextEncoding } from "../../sdk/ingest/text-encodings.js";
import { summaryOf } from "../command-list.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { isInteractive, printJson, printText } from "../io.js";
import { IngestSummaryJson } from "../output-schemas.js";
import { parseApp } from "../parse-options.js";
import { SIGNAL_EXIT_CODES, type StopSignal, withSignalStop } from "../signals.js";
import type { ProgressState } from "../ui/ingest-progress-lines.js";

interface IngestFlags {
  source?: "review" | "email";
  encoding?: TextEncoding;
  app?: string;
  dryRun?: boolean;
  wait?: boolean;
  json?: boolean;
  strict?: boolean;
}

export function registerIngestCommand(program: Command, loadConfig: LoadConfig): void {
  program
    .command("ingest")
    .description(summaryOf("ingest"))
    .argument("<files...>", "files to ingest")
    .addOption(
      new Option("--source <kind>", "force the source kind instead of detecting it from the headers").choices([
        "review",
        "email",
      ]),
    )
    .addOption(
      new Option(
        "--encoding <name>",
        "read the files in this encoding instead of detecting it (BOM, UTF-16, UTF-8, else windows-1252)",
      ).choices(TEXT_ENCODINGS),
    )
    .option(
      "--app <name>",
      "the app of items whose file names none (no Play Console package name, app id or app column)",
      parseApp("--app"),
    )
    .option("--dry-run", "validate only; enqueue nothing")
    .option("--wait", "process the queue in this process and report the tickets made")
    .option("--strict", "exit with 1 when any row was rejected")
    .option("--json", "print the summary as JSON")
    .addHelpText(
      "after",
      `
Ctrl-C / SIGTERM stops after the batch in hand and exits with 130 / 143; run the same command again to
resume (rows that already have a ticket are skipped as duplicates), or 'feedback-cli worker' to finish the queue.`,
    )
    .action(async (files: string[], flags: IngestFlags, command: Command) => {
      const resolved = files.map((f) => path.resolve(f));
      // Imported here: the parsers, the agents and the database client are not the cost of --help or a usage error.
      const [{ ingestFiles }, { drainQueue }, { createLog }, { backendTarget }, { ingestText }] = await Promise.all([
        import("../../app/ingest/ingest-service.js"),
        import("../../app/worker/worker-service.js"),
        import("../../sdk/log.js"),
        import("../../sdk/open-backend.js"),
        import("../presenters/ingest-presenter.js"),
      ]);
      const config = commandConfig(loadConfig, command);
      const interactive = isInteractive(Boolean(flags.json), config.cli.ci);
      const progress = interactive ? (await import("../ui/ingest-progress.js")).startIngestProgress() : null;
      const shown: ProgressState = {
        phase: flags.dryRun ? "reading" : "opening",
        ...backendTarget(config),
        file: "",
        fileIndex: 0,
        fileCount: resolved.length,
        read: 0,
        enqueued: 0,
        bytesRead: 0,
        bytesTotal: 0,
        readingDone: false,
        processed: 0,
        wait: Boolean(flags.wait && !flags.dryRun),
        readingSince: null,
        processingSince: null,
      };
      const show = (change: Partial<ProgressState>) => progress?.update(Object.assign(shown, change));
      show({});
      const run = async (backend: Backend | null, signal: AbortSignal) => {
        // Counts over all files so far (the parser's are per file).
        let before = { read: 0, enqueued: 0 };
        // On a deployed stack its worker may ticket the first items at once: what it held is read before them.
        const stack =
          flags.wait && backend?.kind === "aws" && !flags.dryRun
            ? await import("../../app/ingest/await-stack-worker.js")
            : null;
        const baseline = stack && backend ? await stack.readStackBaseline(backend) : null;
        const started = Date.now();
        show({ phase: "reading", readingSince: started, processingSince: started });
        const ingesting = ingestFiles(backend, resolved, {
          source: flags.source,
          encoding: flags.encoding,
          app: flags.app,
          dryRun: flags.dryRun,
          signal,
          onProgress: (p) => {
            const file = path.basename(p.file);
            if (file !== shown.file) {
              before = { read: shown.read, enqueued: shown.enqueued };
              shown.fileIndex += 1;
            }
            show({
              file,
              read: before.read + p.read,
              enqueued: before.enqueued + p.enqueued,
              bytesRead: p.bytesRead,
              bytesTotal: p.bytesTotal,
            });
          },
        });
        void ingesting.then(
          () => show({ readingDone: true }),
          () => undefined,
        );
        if (!flags.wait || !backend || flags.dryRun) return ingesting;
        if (stack && baseline) {
          // A deployed stack's worker makes the tickets: wait for its queue to empty, then say what changed.
          const [summary, processed] = await Promise.all([
            ingesting,
            stack.awaitStackWorker(backend, baseline, {
              until: ingesting.then((s) => s.totals.enqueued),
              signal,
              onProgress: (done) => show({ phase: "processing", processed: done }),
            }),
          ]);
          summary.processed = processed;
          return summary;
        }
        // Process while ingesting, as a worker would: items become tickets from the first batch on.
        const [summary, processed] = await Promise.all([
          ingesting,
          drainQueue(backend, {
            agentsConfig: config.agents,
            until: ingesting,
            signal,
            // stdout carries the summary (and --json); FEEDBACK_LOG_LEVEL=debug shows each batch on stderr.
            log: createLog(config.log.level, "json", "stderr"),
            onBatch: (done) => show({ phase: "processing", processed: done }),
          }),
        ]);
        summary.processed = processed;
        return summary;
      };
      let summary: IngestSummaryJson;
      let stoppedBy: StopSignal | null;
      try {
        [summary, stoppedBy] = await withSignalStop(
          async (stop) => {
            const result = flags.dryRun
              ? await run(null, stop.signal)
              : await withBackend(config, (backend) => run(backend, stop.signal));
            return [result, stop.received] as const;
          },
          { notice: "Stopping after the batch in hand" },
        );
      } finally {
        progress?.stop();
      }
      if (flags.json) printJson(IngestSummaryJson, summary);
      else printText(ingestText(summary));
      if (stoppedBy) {
        process.stderr.write(`${interruptedText(summary, stoppedBy)}\n`);
        process.exitCode = SIGNAL_EXIT_CODES[stoppedBy];
        return;
      }
      const fileFailed = summary.files.some((f) => f.error);
      if (fileFailed || (flags.strict && summary.totals.rejected > 0)) process.exitCode = 1;
    });
}

/** What an interrupted ingest tells: where it stopped, how to pick up from there. */
function interruptedText(summary: IngestSummaryJson, signal: StopSignal): string {
  const done = summary.dryRun
    ? `${summary.totals.read} rows checked`
    : `${summary.totals.enqueued} items enqueued${summary.processed ? `, ${summary.processed.ticketsCreated + summary.processed.duplicates} processed` : ""}`;
  const lines = [
    `Interrupted by ${signal} after the batch in hand (${done}).`,
    "To resume, run the same command again: rows that already have a ticket are skipped as duplicates.",
  ];
  if (!summary.dryRun) lines.push("Or run 'feedback-cli worker' to turn what is already queued into tickets.");
  return lines.join("\n");
}
