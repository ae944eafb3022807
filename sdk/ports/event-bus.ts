import type { EventEnvelope } from "../schemas/events.js";

export interface PublishEntry {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  time?: Date;
}

export interface PublishResult {
  /** Event ids, in the order of the entries; null where the entry failed. */
  eventIds: (string | null)[];
  failed: { index: number; errorCode: string; errorMessage: string }[];
  /** Deliveries made by matching rules (local bus only; EventBridge does not report it). */
  deliveredTo?: Record<string, number>;
}

/** EventBridge's PutEvents, locally a rules table evaluated on publish. */
export interface EventPublisher {
  publish(entries: readonly PublishEntry[]): Promise<PublishResult>;
}

export type { EventEnvelope };
