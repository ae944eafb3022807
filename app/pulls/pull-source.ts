import { BackendError, FeedbackTriageError } from "../../sdk/errors.js";
import type { EventPublisher } from "../../sdk/ports/event-bus.js";
import type { PulledReview, ReviewConnector, StoreSourceRepository } from "../../sdk/ports/store-reviews.js";
import type { ExistingTicketKeys } from "../../sdk/ports/tickets.js";
import type { LastPull, PullCursor, StoreSourceState } from "../../sdk/schemas/store-source.js";
import { publishItems } from "../ingest/publish-items.js";

export interface PullPorts {
  connector: ReviewConnector;
  sources: StoreSourceRepository;
  bus: EventPublisher;
  tickets: ExistingTicketKeys;
}

export interface PullOptions {
  /** Pages read in this pull at most; the cursor keeps the rest for the next one. */
  maxPages?: number;
  now?: () => Date;
}

export interface SourcePullResult {
  source: string;
  pages: number;
  /** New reviews published for the worker to ticket. */
  enqueued: number;
  /** Known reviews whose text or rating changed: recorded as a revision on their ticket. */
  revised: number;
  /** Known reviews, unchanged (or already ticketed). */
  unchanged: number;
  rejected: number;
  /** False when it stopped at `maxPages` or on an error; the cursor resumes it. */
  complete: boolean;
  error: FeedbackTriageError | null;
}

/**
 * Pulls one source's reviews, newest first, down to the newest change the last finished pull saw. After each page
 * its items are published (or recorded as revisions) and then the cursor saved, so a pull that stops (a crash, a
 * refused token, too many 429s) carries on from the page it was at; a page read twice creates nothing twice.
 */
export async function pullSource(
  state: StoreSourceState,
  ports: PullPorts,
  options: PullOptions = {},
): Promise<SourcePullResult> {
  const run = new SourcePull(state, ports);
  try {
    await run.readPages(options.maxPages ?? Number.POSITIVE_INFINITY);
  } catch (error) {
    if (!(error instanceof FeedbackTriageError)) throw error;
    run.result.error = error;
  }
  await ports.sources.recordPull(state.source.name, run.lastPull((options.now ?? (() => new Date()))()));
  return run.result;
}

class SourcePull {
  readonly result: SourcePullResult;
  private cursor: PullCursor;

  constructor(
    private readonly state: StoreSourceState,
    private readonly ports: PullPorts,
  ) {
    this.cursor = state.cursor;
    this.result = {
      source: state.source.name,
      pages: 0,
      enqueued: 0,
      revised: 0,
      unchanged: 0,
      rejected: 0,
      complete: false,
      error: null,
    };
  }

  async readPages(maxPages: number): Promise<void> {
    const { watermark } = this.cursor;
    const seen = new Set(this.cursor.seen);
    let next = this.cursor.resume?.page ?? null;
    let newest: Newest = this.cursor.resume
      ? { at: this.cursor.resume.newest, ids: this.cursor.resume.seen }
      : { at: watermark, ids: this.cursor.seen };
    while (this.result.pages < maxPages) {
      const page = await this.ports.connector.page(next);
      this.result.pages += 1;
      const fresh = page.reviews.filter((review) => isFresh(review, watermark, seen));
      this.result.rejected += page.rejected.length;
      await this.store(fresh);
      newest = latest(newest, fresh);
      const reachedOld = watermark !== null && page.reviews.some((review) => isBefore(review.changedAt, watermark));
      if (reachedOld || page.next === null) {
        await this.save({ watermark: newest.at, seen: newest.ids, resume: null });
        this.result.complete = true;
        return;
      }
      next = page.next;
      await this.save({
        watermark,
        seen: this.cursor.seen,
        resume: { page: next, newest: newest.at, seen: newest.ids },
      });
    }
  }

  lastPull(at: Date): LastPull {
    const { error } = this.result;
    return {
      at: at.toISOString(),
      enqueued: this.result.enqueued,
      revised: this.result.revised,
      unchanged: this.result.unchanged,
      rejected: this.result.rejected,
      error: error ? (error.hint ? `${error.message} ${error.hint}` : error.message) : null,
    };
  }

  private async store(reviews: readonly PulledReview[]): Promise<void> {
    if (reviews.length === 0) return;
    const items = reviews.map((review) => review.item);
    const known = await this.ports.sources.reviseItems(items, {
      actor: `store-pull:${this.state.source.name}`,
      reason: "The review was edited in the store",
    });
    const seen = new Set([...known.revised, ...known.unchanged]);
    const fresh = items.filter((item) => !seen.has(`${item.sourceType}:${item.sourceId}`));
    this.result.revised += known.revised.length;
    this.result.unchanged += known.unchanged.length;
    if (fresh.length === 0) return;
    const published = await publishItems(fresh, this.ports, { "feedback.source": this.state.source.name });
    this.result.enqueued += published.enqueued;
    this.result.unchanged += published.duplicatesSkipped;
    if (published.failed.length > 0) {
      const first = published.failed[0]!.failure;
      throw new BackendError(
        `${published.failed.length} review(s) were not accepted by the bus: ${first.errorCode} ${first.errorMessage}`,
        { hint: "Pull again: the pull resumes from this page." },
      );
    }
  }

  private async save(cursor: PullCursor): Promise<void> {
    await this.ports.sources.saveCursor(this.state.source.name, cursor);
    this.cursor = cursor;
  }
}

/** The newest change time read so far and the reviews changed at that time. */
interface Newest {
  at: string | null;
  ids: string[];
}

function isBefore(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b);
}

/** Changed after the watermark, or at it but not read by the pull that set it. */
function isFresh(review: PulledReview, watermark: string | null, seen: ReadonlySet<string>): boolean {
  if (watermark === null || isBefore(watermark, review.changedAt)) return true;
  return !isBefore(review.changedAt, watermark) && !seen.has(review.item.sourceId);
}

function latest(current: Newest, reviews: readonly PulledReview[]): Newest {
  let { at, ids } = current;
  for (const { changedAt, item } of reviews) {
    if (at === null || isBefore(at, changedAt)) {
      at = changedAt;
      ids = [item.sourceId];
    } else if (!isBefore(changedAt, at)) ids = [...ids, item.sourceId];
  }
  return { at, ids };
}
