import type { Backend } from "../../sdk/backend.js";
import { NotFoundError, ValidationError } from "../../sdk/errors.js";
import type { PostedReply } from "../../sdk/ports/store-reviews.js";
import { type ConnectorOptions, openConnector } from "../../sdk/stores/connectors.js";
import { showTicket } from "./tickets-service.js";

export interface ReplyRequest {
  /** A ticket id or a unique prefix of it. */
  ticket: string;
  text: string;
  actor: string;
}

const SHOW_HINT = "List tickets with 'feedback-cli tickets list' and copy an id from there.";

/**
 * `tickets reply`: posts the developer response to the store review a ticket was made from, through the source that
 * pulled it, and records it in the ticket's history. Only pulled reviews can be answered: a file or webhook item
 * names no source to post through.
 */
export async function replyToReview(
  backend: Backend,
  request: ReplyRequest,
  options: ConnectorOptions,
): Promise<PostedReply> {
  const ticket = await showTicket(backend, request.ticket, SHOW_HINT);
  const feedback = ticket.feedback ?? {};
  const store = (feedback.metadata as Record<string, unknown> | undefined)?.store;
  const reviewId = feedback.sourceId;
  if (typeof store !== "string" || typeof reviewId !== "string") {
    throw new ValidationError(`Ticket ${ticket.id} was not made from a review pulled from a store`, {
      hint: "Only reviews brought in by 'feedback-cli pull' can be answered from here; answer others where they were written.",
    });
  }
  const source = (await backend.sources.list()).find((s) => s.source.kind === store && s.source.app === feedback.app);
  if (!source) {
    throw new NotFoundError(`No ${store} source pulls app ${String(feedback.app)}`, {
      hint: "Add it with 'feedback-cli sources add' to answer its reviews.",
    });
  }
  const connector = await openConnector(source.source, options);
  const { repliedAt } = await connector.reply(reviewId, request.text);
  const reply: PostedReply = {
    ticketId: ticket.id,
    actor: request.actor,
    source: source.source.name,
    reviewId,
    text: request.text,
    repliedAt,
  };
  await backend.sources.recordReply(reply);
  return reply;
}
