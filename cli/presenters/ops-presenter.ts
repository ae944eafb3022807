import type { DeadLetterJson, DlqShowJson, StatusJson } from "../output-schemas.js";
import { counts, safeMultiline, safeText, table } from "./format.js";

export function deadLettersText(letters: DeadLetterJson[], columns?: number): string {
  if (letters.length === 0) return "The dead-letter queue is empty.";
  const rows = letters.map((l) => [
    l.messageId,
    String(l.receiveCount),
    l.deadLetteredAt ?? "",
    `${l.sourceType ?? "?"}:${l.sourceId ?? "?"}`,
    safeText(l.lastError ?? "(no error recorded)"),
  ]);
  const shown = table(["MESSAGE ID", "RECEIVES", "DEAD-LETTERED", "SOURCE", "LAST ERROR"], rows, {
    maxWidths: [36, 8, 24, 30],
    ids: [0],
    shrink: [3, 4],
    columns,
  });
  return [
    shown,
    `${letters.length} message(s). The whole error and body: 'feedback-cli dlq show <id>'.`,
    "Replay once the cause is fixed: 'feedback-cli dlq replay --id <id>' or '--all'.",
  ].join("\n");
}

/** One dead letter in full: facts, the whole last error, the message body as indented JSON. */
export function deadLetterText(letter: DlqShowJson): string {
  const body = JSON.stringify(letter.body, null, 2) ?? "(no body)";
  return [
    `Dead letter ${letter.messageId}`,
    `  source:         ${letter.sourceType ?? "?"}:${letter.sourceId ?? "?"}`,
    `  queue:          ${letter.sourceQueue ?? "unknown"}`,
    `  receives:       ${letter.receiveCount}`,
    `  sent:           ${letter.sentAt}`,
    `  dead-lettered:  ${letter.deadLetteredAt ?? "unknown"}`,
    "",
    "Last error:",
    `  ${safeMultiline(letter.lastError ?? "(no error recorded)")}`,
    "",
    "Message body:",
    safeMultiline(body),
    "",
    `Replay it once the cause is fixed: feedback-cli dlq replay --id ${letter.messageId}`,
  ].join("\n");
}

export function replayText(result: { dryRun: boolean; moved: string[]; notFound: string[] }): string {
  const verb = result.dryRun ? "Would replay" : "Replayed";
  const lines = [`${verb} ${result.moved.length} message(s) to the processing queue.`];
  if (result.notFound.length) lines.push(`Not in the DLQ: ${result.notFound.join(", ")}`);
  return lines.join("\n");
}

export function statusText(status: StatusJson): string {
  return [
    `Backend: ${status.backend.description}`,
    `Queue ${status.queue.name}: ${status.queue.visible} waiting, ${status.queue.inFlight} in flight, ${status.queue.delayed} delayed`,
    `DLQ ${status.dlq.name}: ${status.dlq.depth} message(s)`,
    `Tickets: ${status.tickets.total}`,
    `  by priority: ${counts(status.tickets.byPriority)}`,
    `  by category: ${counts(status.tickets.byCategory)}`,
    `  by status: ${counts(status.tickets.byStatus)}`,
    status.modelUsage.calls > 0
      ? `Model usage: ${status.modelUsage.tokensIn} tokens in, ${status.modelUsage.tokensOut} out, $${status.modelUsage.costUsd.toFixed(4)} ($${(status.modelUsage.costPerItemUsd * 1000).toFixed(3)} per 1,000 items)`
      : "Model usage: none (offline agents)",
    ...(status.routing ? [routingText(status.routing)] : []),
    groupingText(status.grouping),
  ].join("\n");
}

/** "Grouping: on, 120 ticket(s) waiting, lag 14.2 s; 37 folded into groups, 3 merge suggestion(s) pending". */
export function groupingText(g: StatusJson["grouping"]): string {
  const backlog =
    g.pending > 0 ? `${g.pending} ticket(s) waiting, lag ${g.lagSeconds.toFixed(1)} s` : "nothing waiting";
  return (
    `Grouping: ${g.enabled ? "on" : "off ('feedback-cli config set grouping.enabled true' turns it on)"}, ${backlog}; ` +
    `${g.merged} folded into groups, ${g.pendingSuggestions} merge suggestion(s) pending`
  );
}

/** "Hybrid crew: 712 of 1000 items decided offline, 280 by Claude (28.8% sent, 8 unavailable), Claude $0.0912 ..." */
export function routingText(r: NonNullable<StatusJson["routing"]>): string {
  const unavailable = r.claudeUnavailable ? `, ${r.claudeUnavailable} kept offline: Claude unavailable` : "";
  return (
    `Hybrid crew: ${r.items} item(s) routed, ${r.offline} decided offline, ${r.claude} by Claude ` +
    `(${(r.claudeShare * 100).toFixed(1)}% sent to Claude${unavailable}); ` +
    `Claude cost $${r.claudeCostUsd.toFixed(4)} ($${r.costPer1000ItemsUsd.toFixed(3)} per 1,000 items)`
  );
}
