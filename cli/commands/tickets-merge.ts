import { type Command, Option } from "commander";
import { decideSuggestions, listSuggestions, mergeTickets, unmergeItem } from "../../app/grouping/merge-service.js";
import type { RuntimeConfig } from "../../sdk/config/runtime.js";
import { MERGE_SUGGESTION_STATUSES, type MergeSuggestion } from "../../sdk/schemas/grouping.js";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { printJson, printText } from "../io.js";
import {
  GroupRunJson,
  SuggestionsDecisionJson,
  SuggestionsJson,
  TicketShowJson,
  UnmergeJson,
} from "../output-schemas.js";
import {
  collectIdsOrPrefixes,
  parseBoundedText,
  parseIdOrPrefix,
  parseStorableText,
  TICKET_ID_HELP,
  TICKET_IDS_HELP,
} from "../parse-options.js";
import { groupRunText, mergeText, suggestionsText, unmergeText } from "../presenters/grouping-presenter.js";

interface OperatorFlags {
  reason?: string;
  actor?: string;
  json?: boolean;
}

const operator = (flags: OperatorFlags, config: RuntimeConfig): string => flags.actor ?? config.dashboard.localUser;

const withOperator = (command: Command): Command =>
  command
    .option("--reason <text>", "why (recorded in the history)", parseBoundedText("--reason", 1, 500))
    .option(
      "--actor <name>",
      "who acts, recorded in the history (default: your login name)",
      parseStorableText("--actor"),
    )
    .option("--json", "print JSON");

/**
 * `tickets merge`, `tickets unmerge`, `tickets suggestions`, `tickets group`: duplicate grouping by hand and the
 * grouping stage run on demand (app/grouping), each change one transaction recorded in both tickets' history.
 */
export function registerTicketMergeCommands(tickets: Command, loadConfig: LoadConfig): void {
  withOperator(
    tickets
      .command("merge")
      .description("Fold tickets into one: their items join its reach (same app only); history kept on both sides")
      .argument("<into>", `the ${TICKET_ID_HELP} that stays`, parseIdOrPrefix("<into>"))
      .argument("<ids...>", `the ${TICKET_IDS_HELP}, to fold into it`, collectIdsOrPrefixes("<ids...>")),
  ).action(async (into: string, ids: string[], flags: OperatorFlags, command: Command) => {
    const config = commandConfig(loadConfig, command);
    const ticket = await withBackend(config, (backend) =>
      mergeTickets(backend, into, ids, { actor: operator(flags, config), reason: flags.reason }),
    );
    if (flags.json) printJson(TicketShowJson, ticket);
    else printText(mergeText(ticket));
  });

  withOperator(
    tickets
      .command("unmerge")
      .description("Take one item out of a ticket's group, back to its own ticket")
      .argument("<id>", TICKET_ID_HELP, parseIdOrPrefix("<id>"))
      .argument("<item>", "the item's source id (as 'tickets show' lists it), or sourceType:sourceId"),
  ).action(async (id: string, item: string, flags: OperatorFlags, command: Command) => {
    const config = commandConfig(loadConfig, command);
    const result = await withBackend(config, (backend) =>
      unmergeItem(backend, id, item, { actor: operator(flags, config), reason: flags.reason }),
    );
    if (flags.json) printJson(UnmergeJson, result);
    else printText(unmergeText(result));
  });

  withOperator(
    tickets
      .command("suggestions")
      .description("Merge suggestions from the grey zone: list them, or accept (merge) or dismiss some by id")
      .addOption(
        new Option("--status <status>", "which to list").choices([...MERGE_SUGGESTION_STATUSES]).default("pending"),
      )
      .argument("[action]", "list (default), accept or dismiss")
      .argument("[ids...]", "suggestion ids (from the list)"),
  ).action(
    async (
      action: string | undefined,
      ids: string[],
      flags: OperatorFlags & { status: MergeSuggestion["status"] },
      command: Command,
    ) => {
      const config = commandConfig(loadConfig, command);
      const verb = action ?? "list";
      if (verb === "list") {
        const list = await withBackend(config, (backend) => listSuggestions(backend, flags.status));
        if (flags.json) printJson(SuggestionsJson, list);
        else printText(suggestionsText(list));
        return;
      }
      if (verb !== "accept" && verb !== "dismiss")
        command.error(`error: unknown action '${verb}': use list, accept or dismiss`, {
          exitCode: 2,
          code: "feedback.unknownAction",
        });
      if (ids.length === 0)
        command.error(`error: give the id(s) of the suggestion(s) to ${verb}`, { exitCode: 2, code: "feedback.noIds" });
      const result = await withBackend(config, (backend) =>
        decideSuggestions(backend, ids, verb === "accept" ? "accepted" : "dismissed", {
          actor: operator(flags, config),
          reason: flags.reason,
        }),
      );
      if (flags.json) printJson(SuggestionsDecisionJson, result);
      else
        printText(
          [
            ...result.decided.map((s) => `Suggestion ${s.id} ${s.status}: ${s.ticketId} -> ${s.targetId}`),
            ...result.failed.map((f) => `Suggestion ${f.id} failed: ${f.message}`),
          ].join("\n"),
        );
      if (result.failed.length > 0) process.exitCode = 1;
    },
  );

  tickets
    .command("group")
    .description(
      "Run the grouping stage now until no ticket waits (the worker runs it in the background when grouping is on)",
    )
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }, command: Command) => {
      const config = commandConfig(loadConfig, command);
      // Imported when the stage runs: the worker's modules (the agents, the ingest parsers) are not --help's cost.
      const { groupingSettings } = await import("../../app/grouping/grouping-stage.js");
      const { groupingStage } = await import("../../app/worker/worker-service.js");
      const result = await withBackend(config, async (backend) => {
        const settings = await groupingSettings(backend.configuration);
        if (!settings.enabled) return { enabled: false, looked: 0, joined: 0, suggested: 0, reopened: 0, raised: 0 };
        const stage = groupingStage(backend);
        const total = { enabled: true, looked: 0, joined: 0, suggested: 0, reopened: 0, raised: 0 };
        for (;;) {
          const pass = await stage.runOnce();
          if (!pass || pass.looked === 0) break;
          total.looked += pass.looked;
          total.joined += pass.joined;
          total.suggested += pass.suggested;
          total.reopened += pass.reopened.length;
          total.raised += pass.raised.length;
        }
        return total;
      });
      if (flags.json) printJson(GroupRunJson, result);
      else printText(groupRunText(result));
    });
}
