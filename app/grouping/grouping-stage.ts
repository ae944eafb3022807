import { setTimeout } from "node:timers/promises";
import type { ConfigurationStore } from "../../sdk/ports/configuration.js";
import type { SentenceEncoder } from "../../sdk/ports/encoder.js";
import type { GroupingDecision, GroupingItem, GroupingScope, TicketGrouping } from "../../sdk/ports/grouping.js";
import { GroupingSettings } from "../../sdk/schemas/grouping.js";
import { featuresOf, type ItemFeatures } from "./features.js";
import { decideGroups, type GroupMember, scopeKey } from "./grouper.js";

/** Tickets looked at per pass: one batched encoder call (about 2.5 s of encoding on one core). */
export const GROUPING_BATCH = 256;
/** Tickets of one (app, category) an item is compared with: the most recently seen. */
export const CANDIDATES_PER_SCOPE = 2000;
/** Embeddings kept in memory across passes (2 KB each); beyond it the oldest are read again from the store. */
const CACHE_LIMIT = 50_000;
/** While the pipeline has work the stage waits, but runs a pass at least this often (ms). */
export const MAX_DEFER_MS = 30_000;

export interface GroupingDeps {
  grouping: TicketGrouping;
  configuration: ConfigurationStore;
  encoder: SentenceEncoder;
  now?: () => Date;
  /** Embeddings and features kept in memory (default 50,000 of each). */
  cacheLimit?: number;
}

export interface GroupingPass {
  /** Tickets looked at (each now grouped: joined another, suggested, or its own). */
  looked: number;
  joined: number;
  suggested: number;
  reopened: string[];
  raised: string[];
  /** Items given an embedding in this pass (items and candidates without a stored one). */
  embedded: number;
  /** Distinct texts the encoder was asked for (items with the same text share one). */
  encoded: number;
  /** Where the pass spent its time (ms): reading and embedding, comparing, writing the decisions. */
  timings: { embedMs: number; decideMs: number; applyMs: number };
}

/** The stored `grouping` settings; absent means off. */
export async function groupingSettings(configuration: ConfigurationStore): Promise<GroupingSettings> {
  const config = await configuration.load();
  return config.grouping ?? GroupingSettings.parse({});
}

/**
 * The async grouping stage: runs behind the ticket write (the pipeline's synchronous path is unchanged), takes
 * the tickets not yet grouped, oldest first, embeds their items once (batched, stored), compares each with the
 * open and recently closed tickets of its app and category and folds it in, suggests a merge, or leaves it.
 */
export class GroupingStage {
  private readonly vectors = new Map<string, Float32Array>();
  private readonly features = new Map<string, ItemFeatures>();

  constructor(private readonly deps: GroupingDeps) {}

  /** One pass over at most `limit` pending tickets; null when grouping is off. */
  async runOnce(limit = GROUPING_BATCH): Promise<GroupingPass | null> {
    const settings = await groupingSettings(this.deps.configuration);
    if (!settings.enabled) return null;
    const pending = await this.deps.grouping.pending(limit);
    const pass: GroupingPass = {
      looked: pending.length,
      joined: 0,
      suggested: 0,
      reopened: [],
      raised: [],
      embedded: 0,
      encoded: 0,
      timings: { embedMs: 0, decideMs: 0, applyMs: 0 },
    };
    if (pending.length === 0) return pass;
    const categories = new Set<string>(settings.categories);
    const eligible = pending.filter((item) => categories.has(item.category));
    const decisions: GroupingDecision[] = pending
      .filter((item) => !categories.has(item.category))
      .map((item) => ({ kind: "own", ticketId: item.ticketId }));
    if (eligible.length > 0) {
      const scopes = new Map<string, GroupingScope>();
      for (const item of eligible)
        scopes.set(scopeKey(item.app, item.category), { app: item.app, category: item.category });
      const now = this.deps.now?.() ?? new Date();
      const candidates = await this.deps.grouping.candidates(
        [...scopes.values()],
        new Date(now.getTime() - settings.closedWithinDays * 86_400_000),
        CANDIDATES_PER_SCOPE,
      );
      let mark = performance.now();
      const vectors = await this.ensureVectors([...eligible, ...candidates]);
      pass.embedded = vectors.embedded;
      pass.encoded = vectors.encoded;
      pass.timings.embedMs = performance.now() - mark;
      mark = performance.now();
      decisions.push(
        ...decideGroups(
          eligible.map((item) => this.member(item, vectors.vectors)),
          candidates.map((item) => this.member(item, vectors.vectors)),
          settings,
        ),
      );
      pass.timings.decideMs = performance.now() - mark;
    }
    const mark = performance.now();
    const applied = await this.deps.grouping.apply(decisions, settings.priorityRules);
    pass.timings.applyMs = performance.now() - mark;
    return {
      ...pass,
      joined: applied.joined,
      suggested: applied.suggested,
      reopened: applied.reopened,
      raised: applied.raised,
    };
  }

  private member(item: GroupingItem, vectors: Map<string, Float32Array>): GroupMember {
    return {
      ticketId: item.ticketId,
      scope: scopeKey(item.app, item.category),
      vector: vectors.get(item.feedbackItemId)!,
      features: this.featuresOf(item),
    };
  }

  private featuresOf(item: GroupingItem): ItemFeatures {
    let features = this.features.get(item.feedbackItemId);
    if (!features) {
      features = featuresOf(item.text, item);
      this.remember(this.features, item.feedbackItemId, features);
    }
    return features;
  }

  /**
   * Every item's embedding: from memory, else the store, else the encoder (one batch, then stored). Returns them
   * all for this pass: the memory is bounded, so what it holds may be evicted while the pass adds to it.
   */
  private async ensureVectors(
    items: readonly GroupingItem[],
  ): Promise<{ vectors: Map<string, Float32Array>; embedded: number; encoded: number }> {
    const { encoder, grouping } = this.deps;
    const vectors = new Map<string, Float32Array>();
    const missing = new Map<string, GroupingItem>();
    for (const item of items) {
      const known = this.vectors.get(item.feedbackItemId);
      if (known) vectors.set(item.feedbackItemId, known);
      else missing.set(item.feedbackItemId, item);
    }
    if (missing.size === 0) return { vectors, embedded: 0, encoded: 0 };
    const stored = await grouping.embeddings([...missing.keys()], encoder.model);
    for (const [id, vector] of stored) {
      vectors.set(id, vector);
      this.remember(this.vectors, id, vector);
    }
    const toEmbed = [...missing.values()].filter((i) => !stored.has(i.feedbackItemId));
    if (toEmbed.length === 0) return { vectors, embedded: 0, encoded: 0 };
    // The same text (a short review written by many: "keeps crashing") is embedded once.
    const texts = [...new Set(toEmbed.map((i) => i.text))];
    const embedded = await encoder.embed(texts);
    const byText = new Map(texts.map((text, i) => [text, embedded[i]!]));
    await grouping.saveEmbeddings(
      encoder.model,
      toEmbed.map((item) => ({ feedbackItemId: item.feedbackItemId, vector: byText.get(item.text)! })),
    );
    for (const item of toEmbed) {
      const vector = byText.get(item.text)!;
      vectors.set(item.feedbackItemId, vector);
      this.remember(this.vectors, item.feedbackItemId, vector);
    }
    return { vectors, embedded: toEmbed.length, encoded: texts.length };
  }

  private remember<T>(cache: Map<string, T>, key: string, value: T): void {
    if (cache.size >= (this.deps.cacheLimit ?? CACHE_LIMIT)) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(key, value);
  }
}

export interface GroupingLoopOptions {
  /** Stop once nothing is pending (or grouping is off). */
  once?: boolean;
  signal?: AbortSignal;
  /** Wait between passes when nothing is pending (ms, default 1000, 100 with `once`); while off, five times that. */
  idleMs?: number;
  /** Keep going while this returns true even if nothing is pending yet (e.g. while the queue still has work). */
  busy?: () => boolean | Promise<boolean>;
  onPass?: (pass: GroupingPass) => void;
  /** A pass that failed (the encoder, the database): reported, then retried after the idle wait. */
  onError?: (error: unknown) => void;
  /**
   * The pipeline has work waiting: the stage lets it go first (the encoder shares the process and its cores),
   * running a pass anyway once `maxDeferMs` (default 30 s) have passed, so that grouping is never starved.
   */
  pipelineBusy?: () => boolean | Promise<boolean>;
  maxDeferMs?: number;
}

/** Runs passes until aborted (or, with `once`, until nothing is pending). Returns the tickets looked at. */
export async function runGroupingLoop(stage: GroupingStage, options: GroupingLoopOptions = {}): Promise<number> {
  const idle = options.idleMs ?? (options.once ? 100 : 1000);
  let looked = 0;
  let deferredSince: number | null = null;
  let on = false;
  while (!options.signal?.aborted) {
    // A turn for the rest of the process (the pipeline, the database socket, signals) before each pass.
    await new Promise<void>((resolve) => setImmediate(resolve));
    // Only once a pass has shown grouping on: off, the first pass ends a one-off run at once.
    if (on && options.pipelineBusy && (await options.pipelineBusy())) {
      deferredSince ??= Date.now();
      if (Date.now() - deferredSince < (options.maxDeferMs ?? MAX_DEFER_MS)) {
        await setTimeout(Math.min(idle, 200), undefined, { signal: options.signal }).catch(() => undefined);
        continue;
      }
    }
    deferredSince = null;
    let pass: GroupingPass | null;
    try {
      pass = await stage.runOnce();
      on = pass !== null;
    } catch (error) {
      if (!options.onError) throw error;
      options.onError(error);
      if (options.once) break;
      await setTimeout(idle * 5, undefined, { signal: options.signal }).catch(() => undefined);
      continue;
    }
    if (pass) {
      looked += pass.looked;
      if (pass.looked > 0) options.onPass?.(pass);
    }
    if (pass && pass.looked > 0) continue;
    // Off, or nothing left once the producer is done: a one-off run ends here.
    if (options.once && (!pass || !(await options.busy?.()))) break;
    await setTimeout(pass ? idle : idle * 5, undefined, { signal: options.signal }).catch(() => undefined);
  }
  return looked;
}
