import type { Command } from "commander";
import {
  BULK_LIMIT,
  type BulkResult,
  changeTicket,
  previewMatching,
  type ReviewAction,
  reviewMatching,
  reviewTickets,
  showTicket,
  ticketsByIds,
} from "../../app/tickets/tickets-service.js";
import type { RuntimeConfig } from "../../sdk/config/runtime.js";
import { ConflictError } from "../../sdk/errors.js";
import type { Category, Priority } from "../../sdk/schemas/feedback.js";
import type { TicketPatch, TicketQueryInput, TicketStatus } from "../../sdk/schemas/ticket.js";
import { canAsk, confirm } from "../confirm.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { printJson, printText } from "../io.js";
import { TicketsReviewJson, TicketUpdateJson } from "../output-schemas.js";
import {
  collectIdsOrPrefixes,
  parseBoundedText,
  parseCategories,
  parseIdOrPrefix,
  parsePositiveInt,
  parsePriorities,
  parseStatuses,
  parseStorableText,
  single,
  TICKET_ID_HELP,
  TICKET_IDS_HELP,
} from "../parse-options.js";
import { confirmText, reviewText, updateText } from "../presenters/ticket-actions-presenter.js";
import type { FilterFlags } from "./tickets.js";

const SHOW_HINT =
  "List tickets with 'feedback-cli tickets list' and copy an id (or its first 8 characters) from there.";

interface OperatorFlags {
  reason?: string;
  actor?: string;
  json?: boolean;
}

interface UpdateFlags extends OperatorFlags {
  title?: string;
  description?: string;
  category?: Category;
  priority?: Priority;
  status?: TicketStatus;
  expectedVersion?: number;
}

interface ReviewFlags extends OperatorFlags, FilterFlags {
  yes?: boolean;
}

/** Who acts, for the ticket's history: --actor, else the login name (USER / USERNAME / LOGNAME, read by sdk/config). */
const operator = (flags: OperatorFlags, config: RuntimeConfig): string => flags.actor ?? config.dashboard.localUser;

const withOperator = (command: Command): Command =>
  command
    .option(
      "--actor <name>",
      "who acts, recorded in the history (default: your login name)",
      parseStorableText("--actor"),
    )
    .option("--json", "print JSON");

/**
 * `tickets update`, `tickets approve`, `tickets reject`: the dashboard's use cases (app/tickets), each
 * change one transaction recorded in the ticket's history with the operator and the reason.
 */
export function registerTicketActions(
  tickets: Command,
  loadConfig: LoadConfig,
  withFilters: (command: Command) => Command,
  filterQuery: (flags: FilterFlags) => TicketQueryInput,
): void {
  withOperator(
    tickets
      .command("update")
      .description("Edit a ticket's fields; the change and its reason go into the ticket's history")
      .argument("<id>", TICKET_ID_HELP, parseIdOrPrefix("<id>"))
      .option("--title <text>", "new title (5-200 characters)", parseBoundedText("--title", 5, 200))
      .option("--category <name>", "bug, feature, praise, complaint, spam", single("--category", parseCategories))
      .option("--priority <level>", "critical, high, medium, low", single("--priority", parsePriorities))
      .option("--status <name>", "open, needs_review, approved, rejected, closed", single("--status", parseStatuses))
      .option("--description <text>", "new description", parseStorableText("--description"))
      .requiredOption("--reason <text>", "why (recorded in the history)", parseBoundedText("--reason", 1, 500))
      .option(
        "--expected-version <n>",
        "fail instead of overwriting if the ticket is no longer at this version (see tickets show)",
        parsePositiveInt("--expected-version", 2_147_483_647),
      ),
  ).action(async (given: string, flags: UpdateFlags, command: Command) => {
    const patch: TicketPatch = {};
    if (flags.title !== undefined) patch.title = flags.title;
    if (flags.description !== undefined) patch.description = flags.description;
    if (flags.category !== undefined) patch.category = flags.category;
    if (flags.priority !== undefined) patch.priority = flags.priority;
    if (flags.status !== undefined) patch.status = flags.status;
    if (Object.keys(patch).length === 0) {
      command.error(
        "error: nothing to update: give at least one of --title, --category, --priority, --status, --description",
        { exitCode: 2, code: "feedback.nothingToUpdate" },
      );
    }
    const config = commandConfig(loadConfig, command);
    const { previousVersion, ticket } = await withBackend(config, async (backend) => {
      const current = await showTicket(backend, given, SHOW_HINT);
      try {
        await changeTicket(backend, current.id, patch, {
          actor: operator(flags, config),
          reason: flags.reason,
          expectedVersion: flags.expectedVersion,
        });
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        throw new ConflictError(error.message, {
          cause: error,
          hint: `Someone changed it meanwhile: see 'feedback-cli tickets show ${current.id.slice(0, 8)}', then update again with --expected-version ${current.version}.`,
        });
      }
      return { previousVersion: current.version, ticket: await showTicket(backend, current.id, SHOW_HINT) };
    });
    if (flags.json) printJson(TicketUpdateJson, ticket);
    else printText(updateText(previousVersion, ticket));
  });

  for (const action of ["approve", "reject"] as const) {
    withOperator(
      withFilters(
        tickets
          .command(action)
          .description(
            `${action === "approve" ? "Approve" : "Reject"} tickets by id, or every ticket the filters match (at most ${BULK_LIMIT} a run, oldest first); asks on a terminal, --yes for scripts`,
          )
          .argument("[ids...]", TICKET_IDS_HELP, collectIdsOrPrefixes("[ids...]")),
      )
        .option("--reason <text>", "why (recorded in each ticket's history)", parseBoundedText("--reason", 1, 500))
        .option("-y, --yes", "do not ask (needed with filters when no terminal can confirm)"),
    ).action(async (ids: string[], flags: ReviewFlags, command: Command) => {
      const result = await review(action, ids, flags, command);
      if (!result) return;
      if (flags.json) printJson(TicketsReviewJson, result);
      else printText(reviewText(result));
      if (result.failed.length > 0) process.exitCode = 1;
    });
  }

  async function review(
    action: ReviewAction,
    ids: string[],
    flags: ReviewFlags,
    command: Command,
  ): Promise<BulkResult | null> {
    const config = commandConfig(loadConfig, command);
    const query = filterQuery(flags);
    const filtered = Object.values(query).some((value) => value !== undefined);
    if (ids.length > 0 && filtered) {
      command.error("error: give ticket ids or filters, not both", { exitCode: 2, code: "feedback.idsAndFilters" });
    }
    if (ids.length === 0 && !filtered) {
      command.error(
        `error: say which tickets to ${action}: give ids, or filters such as --status needs_review --category spam`,
        { exitCode: 2, code: "feedback.noTickets" },
      );
    }
    const ask = !flags.yes && canAsk(config.cli.ci);
    if (filtered && !flags.yes && !ask) {
      command.error(
        `error: to ${action} every ticket the filters match without a terminal to confirm, add --yes (check the match first with 'feedback-cli tickets list' and the same filters)`,
        { exitCode: 2, code: "feedback.confirmationNeeded" },
      );
    }
    const meta = { actor: operator(flags, config), reason: flags.reason };
    return withBackend(config, async (backend) => {
      const chosen = ids.length > 0 ? await ticketsByIds(backend, ids) : null;
      if (ask) {
        const preview = chosen
          ? { total: chosen.length, totalCapped: false, sample: chosen.slice(0, 5), limit: BULK_LIMIT }
          : await previewMatching(backend, query, 5);
        if (preview.total > 0 && !(await confirm(confirmText(action, preview)))) {
          process.stderr.write("Cancelled: nothing changed.\n");
          process.exitCode = 1;
          return null;
        }
      }
      return chosen
        ? reviewTickets(
            backend,
            chosen.map((ticket) => ({ id: ticket.id, expectedVersion: ticket.version })),
            action,
            meta,
          )
        : reviewMatching(backend, query, action, meta);
    });
  }
}
