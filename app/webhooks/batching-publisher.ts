import type { EventPublisher, PublishEntry, PublishResult } from "../../sdk/ports/event-bus.js";

interface Pending {
  entries: readonly PublishEntry[];
  resolve: (result: PublishResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces concurrent publishes into one call of the wrapped bus (one transaction on the local bus),
 * so 50 concurrent webhook requests cost a few database round trips instead of 50. Each caller still
 * gets its own result (event ids and failures re-indexed to its entries); if the combined call throws,
 * every caller in it gets the error. A call waits at most `maxWaitMs` for company.
 */
export class BatchingPublisher implements EventPublisher {
  private pending: Pending[] = [];
  private pendingEntries = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;

  constructor(
    private readonly inner: EventPublisher,
    private readonly options: { maxEntries?: number; maxWaitMs?: number; maxConcurrent?: number } = {},
  ) {}

  publish(entries: readonly PublishEntry[]): Promise<PublishResult> {
    if (entries.length === 0) return Promise.resolve({ eventIds: [], failed: [] });
    return new Promise((resolve, reject) => {
      this.pending.push({ entries, resolve, reject });
      this.pendingEntries += entries.length;
      if (this.pendingEntries >= (this.options.maxEntries ?? 200)) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs ?? 2);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    if (this.inFlight >= (this.options.maxConcurrent ?? 2)) {
      // Let the calls in progress finish; what waits meanwhile goes out together after them.
      this.timer = setTimeout(() => this.flush(), this.options.maxWaitMs ?? 2);
      return;
    }
    const batch = this.pending;
    this.pending = [];
    this.pendingEntries = 0;
    this.inFlight += 1;
    this.inner
      .publish(batch.flatMap((p) => p.entries))
      .then((result) => {
        let offset = 0;
        for (const caller of batch) {
          const end = offset + caller.entries.length;
          caller.resolve({
            eventIds: result.eventIds.slice(offset, end),
            failed: result.failed
              .filter((f) => f.index >= offset && f.index < end)
              .map((f) => ({ ...f, index: f.index - offset })),
            ...(result.deliveredTo ? { deliveredTo: {} } : {}),
          });
          offset = end;
        }
      })
      .catch((error: unknown) => {
        for (const caller of batch) caller.reject(error);
      })
      .finally(() => {
        this.inFlight -= 1;
        if (this.pending.length > 0) this.flush();
      });
  }
}
