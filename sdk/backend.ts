import type { FeedbackTriageError } from "./errors.js";
import type { ArtifactStore } from "./ports/artifacts.js";
import type { ConfigurationStore } from "./ports/configuration.js";
import type { DeliveryStore } from "./ports/deliveries.js";
import type { EventPublisher } from "./ports/event-bus.js";
import type { TicketGrouping } from "./ports/grouping.js";
import type { IntegrationOutbox } from "./ports/integrations.js";
import type { MetricsSink } from "./ports/metrics.js";
import type { PersonalDataStore } from "./ports/personal-data.js";
import type { DeadLetterQueue, MessageQueue } from "./ports/queue.js";
import type { StoreSourceRepository } from "./ports/store-reviews.js";
import type { TicketInsights } from "./ports/ticket-insights.js";
import type { TicketRepository } from "./ports/tickets.js";

/** The set of adapters one process talks to, chosen from configuration by `openBackend`. */
export interface Backend {
  /** Human-readable: which database, bus and queue this is, e.g. for `feedback-cli status`. */
  readonly description: string;
  readonly kind: "embedded" | "postgres" | "aws";
  /** Whether this process owns the embedded database (and so may run the worker in-process). */
  readonly isOwner: boolean;
  readonly bus: EventPublisher;
  readonly queue: MessageQueue;
  readonly dlq: DeadLetterQueue;
  readonly tickets: TicketRepository;
  readonly insights: TicketInsights;
  /** Duplicate grouping: the async stage's backlog, merges, suggestions. */
  readonly grouping: TicketGrouping;
  readonly configuration: ConfigurationStore;
  /** Webhook deliveries already accepted (redelivery makes no second item). */
  readonly deliveries: DeliveryStore;
  /** Outbound integrations: destinations, and the outbox of ticket events delivered to them. */
  readonly integrations: IntegrationOutbox;
  readonly metrics: MetricsSink;
  readonly artifacts: ArtifactStore;
  /** Finds and erases one person's data on request, recording the erasure without it. */
  readonly privacy: PersonalDataStore;
  /** The app stores reviews are pulled from, with their cursors. */
  readonly sources: StoreSourceRepository;
  close(): Promise<void>;
  /**
   * Why the database became unreachable while open, e.g. the process that owned the embedded folder
   * stopped; any later failure is a consequence of it. Null (or absent) while the connection is fine.
   */
  connectionLost?(): FeedbackTriageError | null;
}
