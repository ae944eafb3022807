import type { Command } from "commander";
import { listTickets, showTicket } from "../../app/tickets/tickets-service.js";
import type { Category, Priority, SourceType } from "../../sdk/schemas/feedback.js";
import type { TicketStatus } from "../../sdk/schemas/ticket.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { isInteractive, printJson, printText } from "../io.js";
import { TicketShowJson, TicketsListJson } from "../output-schemas.js";
import {
  parseCategories,
  parsePositiveInt,
  parsePriorities,
  parseSince,
  parseSources,
  parseStatuses,
  parseStorableText,
} from "../parse-options.js";
import { ticketsText, ticketText } from "../presenters/tickets-presenter.js";

interface ListFlags {
  priority?: Priority[];
  category?: Category[];
  status?: TicketStatus[];
  source?: SourceType[];
  since?: Date;
  until?: Date;
  search?: string;
  limit: number;
  offset: number;
  sort: "createdAt" | "priority" | "confidence" | "updatedAt" | "category";
  asc?: boolean;
  json?: boolean;
}

export function registerTicketsCommands(program: Command, loadConfig: LoadConfig): void {
  const tickets = program.command("tickets").description("Inspect tickets");
  tickets
    .command("list")
    .description("List tickets, newest first (filters combine; lists are comma-separated or repeated)")
    .option("--priority <levels>", "critical, high, medium, low", parsePriorities)
    .option("--category <names>", "bug, feature, praise, complaint, spam, failed", parseCategories)
    .option("--status <names>", "open, needs_review, approved, rejected, closed", parseStatuses)
    .option("--source <kinds>", "review, email, webhook", parseSources)
    .option("--since <when>", "created at or after: a date or 7d / 12h / 30m", parseSince)
    .option("--until <when>", "created before: a date or 7d / 12h / 30m", parseSince)
    .option("--search <text>", "text in the title or description, or an exact source id", parseStorableText("--search"))
    .option("--limit <n>", "how many (1-1000)", parsePositiveInt("--limit", 1000), 50)
    .option("--offset <n>", "skip this many", parsePositiveInt("--offset", 10_000_000), 0)
    .option("--sort <field>", "createdAt, priority, confidence, updatedAt, category", "createdAt")
    .option("--asc", "ascending order")
    .option("--json", "print a JSON array of tickets")
    .action(async (flags: ListFlags, command: Command) => {
      const config = commandConfig(loadConfig, command);
      const list = await withBackend(config, (backend) =>
        listTickets(backend, {
          priority: flags.priority,
          category: flags.category,
          status: flags.status,
          sourceType: flags.source,
          since: flags.since,
          until: flags.until,
          search: flags.search,
          limit: flags.limit,
          offset: flags.offset,
          sortBy: flags.sort,
          sortOrder: flags.asc ? "asc" : "desc",
        }),
      );
      if (flags.json) printJson(TicketsListJson, list.items);
      else if (isInteractive(false, config.cli.ci))
        await (await import("../ui/tickets-table.js")).renderTicketsTable(list, flags.offset);
      else printText(ticketsText(list, flags.offset));
    });
  tickets
    .command("show")
    .description("Show one ticket with its original feedback, processing log and history")
    .argument("<id>", "ticket id", parseStorableText("<id>"))
    .option("--json", "print JSON")
    .action(async (id: string, flags: { json?: boolean }, command: Command) => {
      const ticket = await withBackend(commandConfig(loadConfig, command), (backend) =>
        showTicket(backend, id, "List tickets with 'feedback-cli tickets list' and copy an id from there."),
      );
      if (flags.json) printJson(TicketShowJson, ticket);
      else printText(ticketText(ticket));
    });
}
