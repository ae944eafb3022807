/** What a ticket change is called in the outbox (and in the webhook's `type`). */
export const INTEGRATION_EVENT_TYPES = ["ticket.created", "ticket.updated", "ticket.merged", "ticket.grouped"] as const;
export type IntegrationEventType = (typeof INTEGRATION_EVENT_TYPES)[number];

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What a destination is: a signed webhook, an issue tracker, or a chat channel for alerts. */
export const DESTINATION_KINDS = ["webhook", "github", "linear", "jira", "slack"] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/**
 * Where events go. `url` is the webhook's URL or the tracker's API base; `secretRef` says where its secret is read
 * ("env:NAME", "file:/path", or a secret store's reference): the signing secret, the tracker's token, the chat's
 * incoming-webhook URL. `settings` holds what the kind needs beyond that (repository, project, mapping, rules),
 * checked by the kind's own schema where it is used.
 */
export interface IntegrationDestination {
  name: string;
  kind: DestinationKind;
  url: string;
  secretRef: string;
  events: IntegrationEventType[];
  enabled: boolean;
  settings: Record<string, unknown>;
}

/** A ticket's issue in a tracker destination. */
export interface IntegrationLink {
  destination: string;
  ticketId: string;
  externalId: string;
  /** What people read: "#42", "ENG-7", "FT-12". */
  externalKey: string;
  url: string;
  /** The state as last synced either way (e.g. "open", "closed"). */
  externalState: string | null;
}

/** One event to one destination, as the delivery loop claimed it (attempts already counts this one). */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  type: IntegrationEventType;
  data: Record<string, unknown>;
  eventCreatedAt: Date;
  destination: string;
  attempts: number;
}

/** A row of the delivery log. */
export interface DeliveryRecord {
  id: string;
  eventId: string;
  type: IntegrationEventType;
  ticketId: string;
  destination: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** How an attempt ended: delivered, or failed with a next attempt time (null: give up, mark failed). */
export type DeliveryOutcome =
  | { kind: "delivered"; status: number }
  | { kind: "failed"; status: number | null; error: string; retryAt: Date | null }
  /** Nothing to send for this event (e.g. a chat alerting on Critical tickets only): delivered, no HTTP status. */
  | { kind: "skipped" }
  /** Held back by the destination's own rate (a chat's next message slot): pending again, the attempt not counted. */
  | { kind: "deferred"; retryAt: Date; reason: string };

/**
 * The integrations outbox. Events are written by the database in the ticket change's own transaction (see
 * migration 20261211000000_integration_outbox); this port configures destinations and runs the deliveries.
 * `claimDue` leases due deliveries (skipping rows another worker holds): a claimed delivery is not due again
 * until `leaseMs` has passed, so a process that dies mid-delivery has it redelivered later, with the same event id.
 */
export interface IntegrationOutbox {
  destinations(): Promise<IntegrationDestination[]>;
  saveDestination(destination: IntegrationDestination): Promise<void>;
  claimDue(options: { limit: number; leaseMs: number }): Promise<ClaimedDelivery[]>;
  record(deliveryId: string, outcome: DeliveryOutcome): Promise<void>;
  /** The delivery log, newest first; `destination`: only that destination's. */
  list(options: { status?: DeliveryStatus; destination?: string; limit: number }): Promise<DeliveryRecord[]>;
  /** Makes deliveries pending again, due now, attempts reset: the given ids, or every failed one. */
  replay(target: { ids: readonly string[] } | { failed: true }): Promise<{ replayed: string[]; notFound: string[] }>;
  /** The issue a tracker destination made for a ticket, if any. */
  linkOf(destination: string, ticketId: string): Promise<IntegrationLink | null>;
  /** The ticket a tracker's issue belongs to (for the tracker's own webhooks). */
  linkByExternalId(destination: string, externalId: string): Promise<IntegrationLink | null>;
  /** Records (or updates) a ticket's issue in a tracker destination. */
  saveLink(link: IntegrationLink): Promise<void>;
  /**
   * Paces a destination's alerts across workers: takes the slot `key` when it is open at `now` (it then opens again
   * `intervalMs` later) or says when it opens. `reopenAlertSlot` moves the opening (a failed post: now; Retry-After).
   */
  takeAlertSlot(
    destination: string,
    key: string,
    options: { now: Date; intervalMs: number },
  ): Promise<{ taken: true } | { taken: false; opensAt: Date }>;
  reopenAlertSlot(destination: string, key: string, opensAt: Date): Promise<void>;
  /**
   * The count a destination's alerts on `key` measure growth from, shared by the workers: `seen` when there is none
   * yet or it is lower (e.g. a DLQ replayed), else the one kept. `setAlertBaseline` records it after an alert.
   */
  alertBaseline(destination: string, key: string, seen: number): Promise<number>;
  setAlertBaseline(destination: string, key: string, value: number): Promise<void>;
  /** The ticket as the event before this one carried it (null when this is its first event): what changed. */
  previousData(eventId: string): Promise<Record<string, unknown> | null>;
}
