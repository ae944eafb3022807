import { type Command, Option } from "commander";
import type { Category, Priority, SourceType } from "../../sdk/schemas/feedback.js";
import {
  DATE_FIELDS,
  type DateField,
  SORTABLE_FIELDS,
  type TicketQueryInput,
  type TicketStatus,
} from "../../sdk/schemas/ticket.js";
import { summaryOf } from "../command-list.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { isInteractive, printJson, printText, terminalColumns } from "../io.js";
import { TicketShowJson, TicketsListJson } from "../output-schemas.js";
import {
  parseApps,
  parseCategories,
  parseIdOrPrefix,
  parseLanguages,
  parseNonNegativeInt,
  parsePositiveInt,
  parsePriorities,
  parseSince,
  parseSources,
  parseStatuses,
  parseStorableText,
} from "../parse-options.js";
import { retriageText, ticketsText, ticketText } from "../presenters/tickets-presenter.js";
import { registerTicketActions } from "./tickets-actions.js";
import { registerTicketsBrowseCommand } from "./tickets-browse.js";
import { listAllTickets, registerTicketsExportCommand } from "./tickets-export.js";
import { registerTicketMergeCommands } from "./tickets-merge.js";
import { registerTicketReply } from "./tickets-reply.js";

export interface FilterFlags {
  priority?: Priority[];
  category?: Category[];
  status?: TicketStatus[];
  source?: SourceType[];
  language?: string[];
  app?: string[];
  since?: Date;
  until?: Date;
  by?: DateField;
  search?: string;
}

interface ListFlags extends FilterFlags {
  limit: number;
  offset: number;
  sort: (typeof SORTABLE_FIELDS)[number];
  asc?: boolean;
  json?: boolean;
  all?: boolean;
}

/** The filters `tickets list` and `tickets retriage` share. */
function withFilters(command: Command): Command {
  return command
    .option("--priority <levels>", "critical, high, medium, low", parsePriorities)
    .option("--category <names>", "bug, feature, praise, complaint, spam, failed", parseCategories)
    .option("--status <names>", "open, needs_review, approved, rejected, closed", parseStatuses)
    .option("--source <kinds>", "review, email, webhook", parseSources)
    .option("--language <codes>", "language of the feedback, ISO 639-1: en, de, fr...", parseLanguages)
    .option("--app <names>", "the app: package name, App Store app id or configured name", parseApps("--app"))
    .option(
      "--since <when>",
      "created (or, with --by submitted, written) at or after: a date or 7d / 12h / 30m",
      parseSince,
    )
    .option("--until <when>", "created (or, with --by submitted, written) before: a date or 7d / 12h / 30m", parseSince)
    .addOption(
      new Option(
        "--by <date>",
        "what --since/--until range over: created (the ticket, default) or submitted (the feedback's own date, else created)",
      ).choices(DATE_FIELDS),
    )
    .option(
      "--search <text>",
      "text in the title or description, or an exact source id",
      parseStorableText("--search"),
    );
}

const filterQuery = (flags: FilterFlags): TicketQueryInput => ({
  priority: flags.priority,
  category: flags.category,
  status: flags.status,
  sourceType: flags.source,
  language: flags.language,
  app: flags.app,
  since: flags.since,
  until: flags.until,
  dateBy: flags.by,
  search: flags.search,
});

export function registerTicketsCommands(program: Command, loadConfig: LoadConfig): void {
  const tickets = program.command("tickets").description(summaryOf("tickets"));
  withFilters(
    tickets
      .command("list")
      .description("List tickets, newest first (filters combine; lists are comma-separated or repeated)"),
  )
    .option("--limit <n>", "how many (1-1000)", parsePositiveInt("--limit", 1000), 50)
    .option("--offset <n>", "skip this many", parseNonNegativeInt("--offset", 10_000_000), 0)
    .addOption(new Option("--sort <field>", "the order of the list").choices(SORTABLE_FIELDS).default("createdAt"))
    .option("--asc", "ascending order")
    .option("--json", "print a JSON array of tickets")
    .option("--all", "every matching ticket, streamed (--limit and --offset ignored)")
    .action(async (flags: ListFlags, command: Command) => {
      const sort = { sortBy: flags.sort, sortOrder: flags.asc ? ("asc" as const) : ("desc" as const) };
      if (flags.all)
        return listAllTickets(loadConfig, command, { ...filterQuery(flags), ...sort }, Boolean(flags.json));
      const config = commandConfig(loadConfig, command);
      const { listTickets } = await import("../../app/tickets/tickets-service.js");
      const list = await withBackend(config, (backend) =>
        listTickets(backend, {
          ...filterQuery(flags),
          limit: flags.limit,
          offset: flags.offset,
          ...sort,
        }),
      );
      if (flags.json) printJson(TicketsListJson, list.items);
      else if (isInteractive(false, config.cli.ci))
        await (await import("../ui/tickets-table.js")).renderTicketsTable(list, flags.offset);
      else printText(ticketsText(list, flags.offset, terminalColumns()));
    });
  withFilters(
    tickets
      .command("retriage")
      .description(
        "Re-run the crew on existing tickets (after a model or configuration change); fields set by hand are kept, history records each change",
      ),
  )
    .option("--dry-run", "show what would change, write nothing")
    .addOption(new Option("--agents <crew>", "which crew to run").choices(["offline", "claude", "hybrid"]))
    .option("--json", "print the summary as JSON")
    .action(async (flags: FilterFlags & { dryRun?: boolean; agents?: string; json?: boolean }, command: Command) => {
      const config = commandConfig(loadConfig, command);
      const { retriageTickets } = await import("../../app/tickets/retriage.js");
      const { createAgents, resolveConfiguredMode } = await import("../../app/worker/create-agents.js");
      const summary = await withBackend(config, async (backend) => {
        const mode = await resolveConfiguredMode(flags.agents, config.agents, backend.configuration);
        const agents = await createAgents(mode, { config: config.agents });
        return retriageTickets(backend, agents, filterQuery(flags), { dryRun: flags.dryRun });
      });
      if (flags.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else printText(retriageText(summary));
    });
  registerTicketActions(tickets, loadConfig, withFilters, filterQuery);
  registerTicketReply(tickets, loadConfig);
  tickets
    .command("show")
    .description("Show one ticket with its original feedback, processing log and history")
    .argument("<id>", "ticket id, or a unique prefix of it (at least 6 characters)", parseIdOrPrefix("<id>"))
    .option("--json", "print JSON")
    .action(async (id: string, flags: { json?: boolean }, command: Command) => {
      const { showTicket } = await import("../../app/tickets/tickets-service.js");
      const ticket = await withBackend(commandConfig(loadConfig, command), (backend) =>
        showTicket(backend, id, "List tickets with 'feedback-cli tickets list' and copy an id from there."),
      );
      if (flags.json) printJson(TicketShowJson, ticket);
      else printText(ticketText(ticket));
    });
  registerTicketsExportCommand(tickets, loadConfig, withFilters, filterQuery);
  registerTicketsBrowseCommand(tickets, loadConfig, withFilters, filterQuery);
  registerTicketMergeCommands(tickets, loadConfig);
}
