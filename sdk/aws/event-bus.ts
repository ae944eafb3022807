import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import type { EventPublisher, PublishEntry, PublishResult } from "../ports/event-bus.js";
import { callAws } from "./errors.js";
import { type RetryPolicy, retryFailedEntries, retryPolicy } from "./retry.js";

/** EventBridge's PutEvents limits: entries per call, and bytes per call (and so per entry). */
export const PUT_EVENTS_MAX_ENTRIES = 10;
export const PUT_EVENTS_MAX_BYTES = 262_144;

/** Per-entry error codes worth another attempt; the rest (MalformedDetail, InvalidArgument, ...) are final. */
const RETRYABLE_ENTRY_CODES =
  /^(ThrottlingException|InternalFailure|InternalException|ServiceUnavailable|InternalError)$/i;

export interface EventBridgePublisherOptions {
  eventBusName: string;
  retry?: Partial<RetryPolicy>;
}

type Failure = PublishResult["failed"][number];

interface Pending {
  index: number;
  request: PutEventsRequestEntry;
  size: number;
}

/**
 * EventPublisher on EventBridge's PutEvents. Entries are sent in chunks of at most 10 entries and
 * 256 KiB (EventBridge's own size formula); the failed entries of a partial failure (FailedEntryCount,
 * per-entry ErrorCode) are retried alone with exponential backoff when their error is transient
 * (throttling, internal failure), and reported in `failed` otherwise or once attempts run out.
 * Entries that cannot be sent at all (detail not a JSON object, over 256 KiB) are reported with the
 * local bus's error codes ("MalformedDetail", "EntryTooLarge") without a call. A failure of the call
 * itself (after the SDK client's own retries) throws the translated SDK error.
 *
 * Unlike the local bus, EventBridge does not report rule deliveries (`deliveredTo` is absent) and
 * accepts events that the ingestion Lambda may reject later (those end in the Lambda's DLQ).
 */
export class EventBridgePublisher implements EventPublisher {
  private readonly retry: RetryPolicy;
  readonly eventBusName: string;

  constructor(
    private readonly client: EventBridgeClient,
    options: EventBridgePublisherOptions,
  ) {
    this.eventBusName = options.eventBusName;
    this.retry = retryPolicy(options.retry);
  }

  async publish(entries: readonly PublishEntry[]): Promise<PublishResult> {
    const eventIds: (string | null)[] = entries.map(() => null);
    const failed: Failure[] = [];
    const pending: Pending[] = [];
    entries.forEach((entry, index) => {
      const built = this.toRequestEntry(entry, index);
      if ("errorCode" in built) failed.push(built);
      else pending.push(built);
    });

    for (const chunk of chunkEntries(pending)) {
      const lastErrors = new Map<number, Failure>();
      const left = await retryFailedEntries(this.retry, chunk, async (batch) => {
        const response = await callAws(`EventBridge PutEvents on bus ${this.eventBusName}`, () =>
          this.client.send(new PutEventsCommand({ Entries: batch.map((p) => p.request) })),
        );
        const results = response.Entries ?? [];
        const retry: Pending[] = [];
        batch.forEach((pendingEntry, position) => {
          const result = results[position];
          if (result?.EventId && !result.ErrorCode) {
            eventIds[pendingEntry.index] = result.EventId;
            lastErrors.delete(pendingEntry.index);
            return;
          }
          const errorCode = result?.ErrorCode ?? "InternalFailure";
          const failure = {
            index: pendingEntry.index,
            errorCode,
            errorMessage: result?.ErrorMessage ?? "EventBridge returned no result for this entry",
          };
          if (RETRYABLE_ENTRY_CODES.test(errorCode)) {
            lastErrors.set(pendingEntry.index, failure);
            retry.push(pendingEntry);
          } else {
            failed.push(failure);
          }
        });
        return retry;
      });
      for (const entry of left) {
        const failure = lastErrors.get(entry.index);
        failed.push({
          index: entry.index,
          errorCode: failure?.errorCode ?? "InternalFailure",
          errorMessage: `${failure?.errorMessage ?? "failed"} (gave up after ${this.retry.maxAttempts} attempts)`,
        });
      }
    }
    failed.sort((a, b) => a.index - b.index);
    return { eventIds, failed };
  }

  private toRequestEntry(entry: PublishEntry, index: number): Pending | Failure {
    if (typeof entry.detail !== "object" || entry.detail === null || Array.isArray(entry.detail)) {
      return { index, errorCode: "MalformedDetail", errorMessage: "Detail must be a JSON object" };
    }
    let detail: string;
    try {
      detail = JSON.stringify(entry.detail);
    } catch (error) {
      return { index, errorCode: "MalformedDetail", errorMessage: `Detail is not valid JSON: ${String(error)}` };
    }
    if (entry.time && Number.isNaN(entry.time.getTime())) {
      return { index, errorCode: "InvalidArgument", errorMessage: "time is not a valid date" };
    }
    const request: PutEventsRequestEntry = {
      EventBusName: this.eventBusName,
      Source: entry.source,
      DetailType: entry.detailType,
      Detail: detail,
      ...(entry.time ? { Time: entry.time } : {}),
    };
    const size = putEventsEntrySize(request);
    if (size > PUT_EVENTS_MAX_BYTES) {
      return {
        index,
        errorCode: "EntryTooLarge",
        errorMessage: `Entry of ${size} bytes exceeds the ${PUT_EVENTS_MAX_BYTES}-byte limit`,
      };
    }
    return { index, request, size };
  }
}

/** EventBridge's documented entry size: 14 bytes for Time, plus Source, DetailType, Detail and Resources. */
export function putEventsEntrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time ? 14 : 0;
  size += Buffer.byteLength(entry.Source ?? "");
  size += Buffer.byteLength(entry.DetailType ?? "");
  size += Buffer.byteLength(entry.Detail ?? "");
  for (const resource of entry.Resources ?? []) size += Buffer.byteLength(resource);
  return size;
}

/** Consecutive chunks of at most 10 entries whose sizes add up to at most 256 KiB. */
function chunkEntries(entries: readonly Pending[]): Pending[][] {
  const chunks: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (current.length > 0 && (current.length >= PUT_EVENTS_MAX_ENTRIES || bytes + entry.size > PUT_EVENTS_MAX_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += entry.size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
