/** A Critical ticket as a Slack alert lists it. */
export interface CriticalTicket {
  ticketId: string;
  title: string;
  category: string;
  app: string | null;
}

/** A Slack message: Block Kit blocks, and `text` for notifications and clients without blocks. */
export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

/** Slack's section text holds 3000 characters: a long batch lists the first ones and says how many more. */
const MAX_LISTED = 15;

/** Slack mrkdwn treats &, < and > as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function ticketLine(ticket: CriticalTicket, dashboardUrl: string | undefined): string {
  const title = escapeMrkdwn(ticket.title.length > 150 ? `${ticket.title.slice(0, 149)}…` : ticket.title);
  const linked = dashboardUrl
    ? `<${dashboardUrl.replace(/\/+$/, "")}/tickets/${ticket.ticketId}|${title.replaceAll("|", "¦")}>`
    : title;
  const where = [ticket.category, ticket.app].filter(Boolean).map((s) => escapeMrkdwn(String(s)));
  return `• *${linked}* — ${where.join(" · ")}`;
}

/** One message listing the Critical tickets of a batch. */
export function criticalTicketsMessage(tickets: readonly CriticalTicket[], dashboardUrl?: string): SlackMessage {
  const heading = `${plural(tickets.length, "Critical ticket")} in feedback-triage`;
  const listed = tickets.slice(0, MAX_LISTED).map((t) => ticketLine(t, dashboardUrl));
  if (tickets.length > MAX_LISTED) listed.push(`…and ${tickets.length - MAX_LISTED} more`);
  return {
    text: heading,
    blocks: [
      { type: "header", text: { type: "plain_text", text: heading } },
      { type: "section", text: { type: "mrkdwn", text: listed.join("\n") } },
    ],
  };
}

/** The alert when the dead-letter queue grew. */
export function deadLetterMessage(growth: { from: number; to: number; queue: string }): SlackMessage {
  const text = `Dead-letter queue ${growth.queue} grew from ${growth.from} to ${growth.to} (${plural(growth.to - growth.from, "new message")})`;
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${escapeMrkdwn(text)}*` } },
      {
        type: "context",
        elements: [
          { type: "mrkdwn", text: "`feedback-cli dlq list` shows why; `feedback-cli dlq replay` retries them." },
        ],
      },
    ],
  };
}

/** The message `integrations test` sends. */
export function testMessage(destination: string): SlackMessage {
  const text = `Test message from feedback-triage: the destination ${destination} reaches this channel.`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: escapeMrkdwn(text) } }] };
}
