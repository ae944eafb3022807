import type { ClaimedDelivery, IntegrationDestination, IntegrationOutbox } from "../../../sdk/ports/integrations.js";
import { retryAfterMs } from "../backoff.js";
import type { Deliverer, DeliveryContext, PostResult } from "../deliver.js";
import { type CriticalTicket, criticalTicketsMessage, deadLetterMessage } from "./slack-messages.js";
import { isSuccess, postSlack } from "./slack-post.js";
import { type SlackSettings, slackSettingsOf } from "./slack-settings.js";

/** What one Slack destination's alerts remember in this process (the pacing itself is shared, in the outbox). */
interface ChannelState {
  /** Slack asked this process to wait until then (429 Retry-After): nothing is posted before. */
  blockedUntil: Date;
  /** The deliveries of the current pass joining one message. */
  batch?: PendingBatch;
}

interface PendingBatch {
  alerts: Promise<CriticalTicket | null>[];
  sent: Promise<PostResult[]>;
}

/** The outbox's pacing keys: Critical ticket messages and DLQ alerts have a slot each. */
const TICKETS = "tickets";
const DLQ = "dlq";

/**
 * Slack alerts (issue 22): Critical tickets, grouped and rate-limited per destination, and dead-letter queue growth.
 * Events that are not a ticket becoming Critical are skipped (marked delivered, nothing sent). The deliveries one
 * pass hands over for a destination become one message; while its interval since the last message runs, Critical
 * deliveries are deferred to the next slot, where they go together. Slack's 429 Retry-After holds every message back.
 * The slots and the DLQ baseline are kept in the outbox, so the pace holds however many workers run, and a DLQ's
 * growth is alerted once.
 */
export class SlackAlerts {
  private readonly channels = new Map<string, ChannelState>();

  /** The delivery loop's deliverer for `slack` destinations. */
  readonly deliver: Deliverer = (delivery, destination, context) => {
    const settings = slackSettingsOf(destination.settings);
    if ("error" in settings) return Promise.resolve({ error: settings.error, permanent: true });
    const channel = this.channel(destination.name);
    // Joined before any await, so every delivery the pass hands over in one go lands in the same batch.
    channel.batch ??= this.openBatch(channel, destination.name, settings, context);
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
    context: DeliveryContext,
  ): Promise<PostResult | null> {
    const settings = slackSettingsOf(destination.settings);
    if ("error" in settings || settings.dlqGrowth === 0) return null;
    const channel = this.channel(destination.name);
    const now = context.now();
    // The first depth seen is the baseline; a replay or purge that shrank the DLQ counts growth from there.
    const baseline = await context.outbox.alertBaseline(destination.name, DLQ, dlq.depth);
    if (dlq.depth - baseline < settings.dlqGrowth || now < channel.blockedUntil) return null;
    const slot = await context.outbox.takeAlertSlot(destination.name, DLQ, {
      now,
      intervalMs: settings.intervalSeconds * 1000,
    });
    if (!slot.taken) return null;
    const message = deadLetterMessage({ queue: dlq.name, from: baseline, to: dlq.depth });
    const result = await postSlack(context.secret, message, context);
    if (isSuccess(result)) await context.outbox.setAlertBaseline(destination.name, DLQ, dlq.depth);
    else await this.reopen(channel, destination.name, DLQ, result, now, context);
    return result;
  }

  private channel(name: string): ChannelState {
    let channel = this.channels.get(name);
    if (!channel) {
      channel = { blockedUntil: new Date(0) };
      this.channels.set(name, channel);
    }
    return channel;
  }

  private openBatch(
    channel: ChannelState,
    destination: string,
    settings: SlackSettings,
    context: DeliveryContext,
  ): PendingBatch {
    const batch: PendingBatch = { alerts: [], sent: Promise.resolve([]) };
    batch.sent = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      channel.batch = undefined;
      return this.send(channel, destination, batch.alerts, settings, context);
    });
    return batch;
  }

  private async send(
    channel: ChannelState,
    destination: string,
    pending: Promise<CriticalTicket | null>[],
    settings: SlackSettings,
    context: DeliveryContext,
  ): Promise<PostResult[]> {
    const alerts = await Promise.all(pending);
    const tickets = alerts.filter((a): a is CriticalTicket => a !== null);
    const skipped: PostResult = { skipped: true };
    if (tickets.length === 0) return alerts.map(() => skipped);
    const result = await this.sendTickets(channel, destination, tickets, settings, context);
    return alerts.map((a) => (a === null ? skipped : result));
  }

  /** One message for the tickets when the destination's slot is open (for every worker), else deferred to it. */
  private async sendTickets(
    channel: ChannelState,
    destination: string,
    tickets: CriticalTicket[],
    settings: SlackSettings,
    context: DeliveryContext,
  ): Promise<PostResult> {
    const now = context.now();
    if (now < channel.blockedUntil) return deferredTo(channel.blockedUntil);
    const slot = await context.outbox.takeAlertSlot(destination, TICKETS, {
      now,
      intervalMs: settings.intervalSeconds * 1000,
    });
    if (!slot.taken) return deferredTo(slot.opensAt);
    const result = await postSlack(context.secret, criticalTicketsMessage(tickets, settings.dashboardUrl), context);
    if (!isSuccess(result)) await this.reopen(channel, destination, TICKETS, result, now, context);
    return result;
  }

  /** A post that failed gives its slot back: at once, or when Slack's 429 Retry-After says (for every worker). */
  private async reopen(
    channel: ChannelState,
    destination: string,
    key: string,
    result: PostResult,
    now: Date,
    context: DeliveryContext,
  ): Promise<void> {
    let opensAt = now;
    if ("status" in result && result.status === 429) {
      opensAt = new Date(now.getTime() + (retryAfterMs(result.retryAfter, now) ?? 60_000));
      channel.blockedUntil = opensAt;
    }
    await context.outbox.reopenAlertSlot(destination, key, opensAt);
  }
}

const deferredTo = (slot: Date): PostResult => ({
  deferUntil: slot,
  reason: `waiting for the next Slack message slot (${slot.toISOString()})`,
});

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
