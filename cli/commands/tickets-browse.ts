import type { Command } from "commander";
import { changeTicket, listTickets, reviewTickets, showTicket } from "../../app/tickets/tickets-service.js";
import type { TicketQueryInput } from "../../sdk/schemas/ticket.js";
import { canAsk } from "../confirm.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { isInteractive } from "../io.js";
import { SIGNAL_EXIT_CODES } from "../signals.js";
import type { FilterFlags } from "./tickets.js";

const REASON = "in feedback-cli tickets browse";

/**
 * `tickets browse [filters]`: the Ink ticket browser (cli/ui/tickets-browser.tsx) on an interactive terminal; its
 * approve / reject / edit go through the same use cases as `tickets approve|reject|update`. Without a terminal it
 * refuses (exit 2), naming `tickets list` and `tickets export`.
 */
export function registerTicketsBrowseCommand(
  tickets: Command,
  loadConfig: LoadConfig,
  withFilters: (command: Command) => Command,
  filterQuery: (flags: FilterFlags) => TicketQueryInput,
): void {
  withFilters(
    tickets
      .command("browse")
      .description(
        "Browse tickets on a terminal: filter, page, open one, approve, reject or edit it (keys shown at the bottom)",
      ),
  ).action(async (flags: FilterFlags, command: Command) => {
    const config = commandConfig(loadConfig, command);
    if (!isInteractive(false, config.cli.ci) || !canAsk(config.cli.ci)) {
      command.error(
        "error: tickets browse needs an interactive terminal; without one use 'feedback-cli tickets list' (or 'feedback-cli tickets export') with the same filters",
        { exitCode: 2, code: "feedback.notATerminal" },
      );
    }
    const actor = config.dashboard.localUser;
    const hint = "The ticket may have been deleted meanwhile.";
    await withBackend(config, async (backend) => {
      const { runTicketsBrowser } = await import("../ui/tickets-browser.js");
      const { interrupted } = await runTicketsBrowser(filterQuery(flags), {
        list: (query) => listTickets(backend, query),
        show: (id) => showTicket(backend, id, hint),
        review: (id, action, expectedVersion) =>
          reviewTickets(backend, [{ id, expectedVersion }], action, {
            actor,
            reason: `${action === "approve" ? "approved" : "rejected"} ${REASON}`,
          }),
        update: (id, patch, expectedVersion) =>
          changeTicket(backend, id, patch, { actor, reason: `edited ${REASON}`, expectedVersion }),
      });
      if (interrupted) process.exitCode = SIGNAL_EXIT_CODES.SIGINT;
    });
  });
}
