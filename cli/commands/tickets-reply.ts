import type { Command } from "commander";
import { commandConfig, type LoadConfig, withBackend } from "../context.js";
import { printJson, printText } from "../io.js";
import { TicketReplyJson } from "../output-schemas.js";
import { parseBoundedText, parseIdOrPrefix, parseStorableText } from "../parse-options.js";

/** Google Play caps a reply at 350 characters; App Store Connect allows more, so the lower bound applies to both. */
const MAX_REPLY_CHARS = 350;

/** `tickets reply`: the developer response to the store review a ticket was made from, through app/tickets. */
export function registerTicketReply(tickets: Command, loadConfig: LoadConfig): void {
  tickets
    .command("reply")
    .description(
      "Post a public developer response to the store review a pulled ticket came from; recorded in its history",
    )
    .argument("<id>", "ticket id, or a unique prefix of it (at least 6 characters)", parseIdOrPrefix("<id>"))
    .requiredOption(
      "--text <text>",
      `the response (1-${MAX_REPLY_CHARS} characters)`,
      parseBoundedText("--text", 1, MAX_REPLY_CHARS),
    )
    .option(
      "--actor <name>",
      "who answers, recorded in the history (default: your login name)",
      parseStorableText("--actor"),
    )
    .option("--json", "print JSON")
    .action(async (ticket: string, flags: { text: string; actor?: string; json?: boolean }, command: Command) => {
      const config = commandConfig(loadConfig, command);
      const actor = flags.actor ?? config.dashboard.localUser;
      // Imported here: the store clients (jose) load only for a reply, not for every tickets command.
      const { replyToReview } = await import("../../app/tickets/reply-service.js");
      const reply = await withBackend(config, (backend) =>
        replyToReview(backend, { ticket, text: flags.text, actor }, { env: config.credentialEnv }),
      );
      if (flags.json) printJson(TicketReplyJson, reply);
      else
        printText(
          `Replied to review ${reply.reviewId} through ${reply.source} (ticket ${reply.ticketId.slice(0, 8)}).`,
        );
    });
}
