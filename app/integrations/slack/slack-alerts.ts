import type { ClaimedDelivery, IntegrationDestination, IntegrationOutbox } from "../../../sdk/ports/integrations.js";
import { retryAfterMs } from "../backoff.js";
import type { Deliverer, DeliveryContext, PostResult } from "../deliver.js";
import { type CriticalTicket, criticalTicketsMessage, deadLetterMessage } from "./slack-messages.js";
import { isSuccess, postSlack } from "./slack-post.js";
import { type SlackSettings, slackSettingsOf } from "./slack-settings.js";

/** What one Slack destination's alerts remember in this process. */
interface ChannelState {
  /** No ticket alert before this (the interval since the last one, or Slack's Retry-After). */
  nextTicketSlot: Date;
  /** Slack asked to wait until then (429 Retry-After): nothing is posted before. */
  blockedUntil: Date;
  /** The deliveries of the current pass joining one message. */
  batch?: PendingBatch;
  /** The DLQ depth at the last alert (or when first seen), and when the next DLQ alert may go. */
  dlq?: { baseline: number; nextAlert: Date };
}

interface PendingBatch {
  alerts: Promise<CriticalTicket | null>[];
  sent: Promise<PostResult[]>;
}

/**
 * Slack alerts (issue 22): Critical tickets, grouped and rate-limited per destination, and dead-letter queue growth.
 * Events that are not a ticket becoming Critical are skipped (marked delivered, nothing sent). The deliveries one
 * pass hands over for a destination become one message; while its interval since the last message runs, Critical
 * deliveries are deferred to the next slot, where they go together. Slack's 429 Retry-After holds every message back.
 * The rate is kept per worker process.
 */
export class SlackAlerts {
  private readonly channels = new Map<string, ChannelState>();

  /** The delivery loop's deliverer for `slack` destinations. */
  readonly deliver: Deliverer = (delivery, destination, context) => {
    const settings = slackSettingsOf(destination.settings);
    if ("error" in settings) return Promise.resolve({ error: settings.error, permanent: true });
    const channel = this.channel(destination.name);
    // Joined before any await, so every delivery the pass hands over in one go lands in the same batch.
    channel.batch ??= this.openBatch(channel, settings, context);
    const index = channel.batch.alerts.push(criticalAlertOf(delivery, context.outbox)) - 1;
    return channel.batch.sent.then((results) => results[index]!);
  };

  /**
   * Posts a DLQ alert to the destination when the depth grew by its `dlqGrowth` since the last alert (the first
   * depth seen is the baseline), at most once per interval. Returns what was posted's result, or null for no post.
   */
  async checkDeadLetters(
    destination: IntegrationDestination,
    dlq: { name: string; depth: number },
    context: Omit<DeliveryContext, "outbox">,
  ): Promise<PostResult | null> {
    const settings = slackSettingsOf(destination.settings);
    if ("error" in settings || settings.dlqGrowth === 0) return null;
    const channel = this.channel(destination.name);
    const now = context.now();
    channel.dlq ??= { baseline: dlq.depth, nextAlert: now };
    const state = channel.dlq;
    state.baseline = Math.min(state.baseline, dlq.depth); // a replay or purge shrank it: growth counts from there
    if (dlq.depth - state.baseline < settings.dlqGrowth || now < state.nextAlert || now < channel.blockedUntil) {
      return null;
    }
    const message = deadLetterMessage({ queue: dlq.name, from: state.baseline, to: dlq.depth });
    const result = await postSlack(context.secret, message, context);
    this.noteRetryAfter(channel, result, now);
    if (isSuccess(result)) {
      state.baseline = dlq.depth;
      state.nextAlert = new Date(now.getTime() + settings.intervalSeconds * 1000);
    }
    return result;
  }

  private channel(name: string): ChannelState {
    let channel = this.channels.get(name);
    if (!channel) {
      channel = { nextTicketSlot: new Date(0), blockedUntil: new Date(0) };
      this.channels.set(name, channel);
    }
    return channel;
  }

  private openBatch(channel: ChannelState, settings: SlackSettings, context: DeliveryContext): PendingBatch {
    const batch: PendingBatch = { alerts: [], sent: Promise.resolve([]) };
    batch.sent = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      channel.batch = undefined;
      return this.send(channel, batch.alerts, settings, context);
    });
    return batch;
  }

  private async send(
    channel: ChannelState,
    pending: Promise<CriticalTicket | null>[],
    settings: SlackSettings,
    context: DeliveryContext,
  ): Promise<PostResult[]> {
    const alerts = await Promise.all(pending);
    const tickets = alerts.filter((a): a is CriticalTicket => a !== null);
    const skipped: PostResult = { skipped: true };
    if (tickets.length === 0) return alerts.map(() => skipped);
    const now = context.now();
    const slot = new Date(Math.max(channel.nextTicketSlot.getTime(), channel.blockedUntil.getTime()));
    const result: PostResult =
      now < slot
        ? { deferUntil: slot, reason: `waiting for the next Slack message slot (${slot.toISOString()})` }
        : await this.post(channel, tickets, settings, context, now);
    return alerts.map((a) => (a === null ? skipped : result));
  }

  private async post(
    channel: ChannelState,
    tickets: CriticalTicket[],
    settings: SlackSettings,
    context: DeliveryContext,
    now: Date,
  ): Promise<PostResult> {
    const message = criticalTicketsMessage(tickets, settings.dashboardUrl);
    const result = await postSlack(context.secret, message, context);
    this.noteRetryAfter(channel, result, now);
    if (isSuccess(result)) channel.nextTicketSlot = new Date(now.getTime() + settings.intervalSeconds * 1000);
    return result;
  }

  private noteRetryAfter(channel: ChannelState, result: PostResult, now: Date): void {
    if (!("status" in result) || result.status !== 429) return;
    const wait = retryAfterMs(result.retryAfter, now) ?? 60_000;
    channel.blockedUntil = new Date(now.getTime() + wait);
  }
}

/**
 * The ticket to alert about, or null: a ticket created Critical, or updated to Critical (its previous event had
 * another priority, or there is none to compare with). Other events and edits of a ticket already Critical are not.
 */
export async function criticalAlertOf(
  delivery: ClaimedDelivery,
  outbox: IntegrationOutbox,
): Promise<CriticalTicket | null> {
  if (delivery.data.priority !== "Critical") return null;
  if (delivery.type !== "ticket.created" && delivery.type !== "ticket.updated") return null;
  if (delivery.type === "ticket.updated") {
    const previous = await outbox.previousData(delivery.eventId);
    if (previous?.priority === "Critical") return null;
  }
  const { ticketId, title, category, app } = delivery.data;
  return {
    ticketId: String(ticketId),
    title: String(title),
    category: String(category),
    app: typeof app === "string" ? app : null,
  };
}
