import { createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { type Command, Option } from "commander";
import { EXPORT_FORMATS, type ExportFormat, exportStream } from "../../app/tickets/export.js";
import { ValidationError } from "../../sdk/errors.js";
import type { TicketQueryInput } from "../../sdk/schemas/ticket.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { ticketStreamHeader, ticketStreamRows } from "../presenters/tickets-stream-presenter.js";

/** `tickets export`: the tickets the filters match, streamed to stdout or a file (written whole, then renamed). */
export function registerTicketsExportCommand<F>(
  tickets: Command,
  loadConfig: LoadConfig,
  withFilters: (command: Command) => Command,
  filterQuery: (flags: F) => TicketQueryInput,
): void {
  withFilters(
    tickets
      .command("export")
      .description("Export every ticket the filters match, newest first, streamed (any number, constant memory)"),
  )
    .addOption(
      new Option("--format <format>", "csv, json (one array) or ndjson").choices(EXPORT_FORMATS).default("csv"),
    )
    .option("--out <file>", "write to this file instead of stdout")
    .action(async (flags: F & { format: ExportFormat; out?: string }, command: Command) => {
      const query = filterQuery(flags);
      const out = flags.out ? path.resolve(flags.out) : null;
      if (out) await checkOutFolder(out);
      await withBackend(commandConfig(loadConfig, command), async (backend) => {
        const source = exportStream(backend, query, flags.format);
        if (!out) return pipeline(source, process.stdout, { end: false });
        const partial = `${out}.${process.pid}.partial`;
        try {
          await pipeline(source, createWriteStream(partial));
          await rename(partial, out);
        } catch (error) {
          await rm(partial, { force: true });
          throw cannotWrite(out, error);
        }
      });
    });
}

/** Before any ticket is read: --out in a folder that does not exist is the operator's to fix, said so. */
async function checkOutFolder(out: string): Promise<void> {
  const folder = path.dirname(out);
  const found = await stat(folder).catch(() => null);
  if (found?.isDirectory()) return;
  throw new ValidationError(
    `Cannot write the export to ${out}: the folder ${folder} ${found ? "is not a folder" : "does not exist"}`,
    { hint: `Create the folder first (mkdir -p ${folder}) or give --out a file in an existing folder.` },
  );
}

/** A file-system error while writing --out (no permission, disk full) as an error naming the file. */
function cannotWrite(out: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (!code?.startsWith("E")) return error;
  return new ValidationError(`Cannot write the export to ${out}: ${(error as Error).message}`, {
    hint: "Check that you may write to that folder and that its disk has room, or give --out another file.",
    cause: error,
  });
}

/**
 * `tickets list --all`: every matching ticket (--limit and --offset ignored) in the list's order, streamed:
 * `--json` as one JSON array (the export's), text as table rows of fixed width.
 */
export async function listAllTickets(
  loadConfig: LoadConfig,
  command: Command,
  query: TicketQueryInput,
  json: boolean,
): Promise<void> {
  await withBackend(commandConfig(loadConfig, command), async (backend) => {
    if (json) return pipeline(exportStream(backend, query, "json"), process.stdout, { end: false });
    let shown = 0;
    process.stdout.write(ticketStreamHeader());
    for await (const page of backend.tickets.stream(query)) {
      shown += page.length;
      if (!process.stdout.write(ticketStreamRows(page)))
        await new Promise((resolve) => process.stdout.once("drain", resolve));
    }
    process.stdout.write(shown ? `${shown} tickets.\n` : "No tickets match.\n");
  });
}
