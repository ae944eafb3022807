/**
 * A small time-based cache for aggregates that scan the whole tickets table (overview, analytics): fresh
 * for `ttlMs`, then served stale for up to `staleMs` while one refresh runs in the background. A TTL of
 * 0 turns it off (every call computes; the benchmark measures both).
 */
export class AggregateCache {
  private readonly entries = new Map<string, { value: unknown; at: number; refreshing: Promise<unknown> | null }>();
  private readonly pending = new Map<string, Promise<unknown>>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly staleMs = ttlMs * 12,
    private readonly maxEntries = 200,
  ) {}

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && now - entry.at < this.ttlMs) return entry.value as T;
    if (entry && now - entry.at < this.ttlMs + this.staleMs) {
      if (!entry.refreshing) {
        entry.refreshing = this.load(key, load)
          .catch(() => undefined)
          .finally(() => {
            entry.refreshing = null;
          });
      }
      return entry.value as T;
    }
    return this.load(key, load);
  }

  /** After a write: the next read computes afresh. */
  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
  }

  private load<T>(key: string, load: () => Promise<T>): Promise<T> {
    const generation = this.generation;
    const pendingKey = `${generation}\u0000${key}`;
    const running = this.pending.get(pendingKey);
    if (running) return running as Promise<T>;
    const promise = load()
      .then((value) => {
        if (generation === this.generation) {
          if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
          this.entries.set(key, { value, at: Date.now(), refreshing: null });
        }
        return value;
      })
      .finally(() => this.pending.delete(pendingKey));
    this.pending.set(pendingKey, promise);
    return promise;
  }
}
