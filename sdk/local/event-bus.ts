import { randomUUID } from "node:crypto";
import type { SqlClient, SqlExecutor } from "../db/sql.js";
import { describeIssues, ingestEvents } from "../ingest/ingest-events.js";
import type { EventPublisher, PublishEntry, PublishResult } from "../ports/event-bus.js";
import { EventEnvelope } from "../schemas/events.js";
import { type EventRule, EventRuleCache } from "./event-rules.js";
import { LocalQueue } from "./queue.js";

/** EventBridge's limit on one PutEvents entry (Source + DetailType + Detail + Resources + 14 for Time). */
export const MAX_EVENT_ENTRY_BYTES = 262_144;
/** deliveredTo key counting accepted events that matched no rule. */
export const UNMATCHED = "(unmatched)";

export interface LocalEventBusOptions {
  /** `event_rules.bus`; default "feedback". */
  bus?: string;
  /** How long loaded rules are reused; default 1,000 ms (0 = reload on every publish). */
  ruleCacheMs?: number;
  region?: string;
  account?: string;
}

type Failure = PublishResult["failed"][number];

/**
 * EventBridge's PutEvents over the `event_rules` table. Each entry becomes an EventBridge envelope and is
 * matched against the enabled rules (see compileEventPattern for the supported pattern subset); each
 * rule's events go through `ingestEvents` into the rule's target queue, all in ONE transaction (its own,
 * or the caller's with `publishWithin`): either every delivery of the call is enqueued or none (a
 * database failure throws and enqueues nothing).
 *
 * Differences from EventBridge, so nothing is lost silently:
 * - an accepted event that matches no rule keeps its id and is counted in `deliveredTo["(unmatched)"]`;
 * - an event the ingestion step rejects (not a valid FeedbackReceived event) is reported in `failed`
 *   with errorCode "IngestionRejected" and the validation issues, where EventBridge would accept it and
 *   the target would fail later;
 * - any number of entries per call (EventBridge takes 10); each is still limited to 256 KiB
 *   (errorCode "EntryTooLarge").
 */
export class LocalEventBus implements EventPublisher {
  private readonly rules: EventRuleCache;
  private readonly region: string;
  private readonly account: string;

  constructor(
    private readonly sql: SqlClient,
    options: LocalEventBusOptions = {},
  ) {
    this.rules = new EventRuleCache(options.bus ?? "feedback", options.ruleCacheMs ?? 1_000);
    this.region = options.region ?? "local";
    this.account = options.account ?? "000000000000";
  }

  /** Forgets cached rules, e.g. after editing `event_rules`. */
  invalidateRules(): void {
    this.rules.invalidate();
  }

  /** Publishes in a transaction of its own. */
  publish(entries: readonly PublishEntry[]): Promise<PublishResult> {
    return this.publishVia(entries, (route) => this.sql.transaction(route));
  }

  /**
   * Publishes inside the caller's transaction (`tx` from `sql.transaction`): the deliveries commit or
   * roll back with the caller's own writes, e.g. storing the feedback items and announcing them.
   */
  publishWithin(tx: SqlExecutor, entries: readonly PublishEntry[]): Promise<PublishResult> {
    return this.publishVia(entries, (route) => route(tx));
  }

  private async publishVia(
    entries: readonly PublishEntry[],
    run: <T>(route: (tx: SqlExecutor) => Promise<T>) => Promise<T>,
  ): Promise<PublishResult> {
    const failed: Failure[] = [];
    const eventIds: (string | null)[] = [];
    const accepted: { index: number; event: EventEnvelope }[] = [];
    entries.forEach((entry, index) => {
      const built = this.toEnvelope(entry, index);
      if ("errorCode" in built) {
        failed.push(built);
        eventIds.push(null);
      } else {
        accepted.push({ index, event: built });
        eventIds.push(built.id);
      }
    });

    let deliveredTo: Record<string, number> = {};
    if (accepted.length > 0) {
      const routed = await run((tx) =>
        this.route(
          tx,
          accepted.map((a) => a.event),
        ),
      );
      deliveredTo = routed.deliveredTo;
      const rejected = routed.rejected;
      for (const { index, event } of accepted) {
        const reason = rejected.get(event.id);
        if (reason === undefined) continue;
        failed.push({ index, errorCode: "IngestionRejected", errorMessage: reason });
        eventIds[index] = null;
      }
    }
    failed.sort((a, b) => a.index - b.index);
    return { eventIds, failed, deliveredTo };
  }

  /**
   * Matches the events against the rules and runs the ingestion step into each matched rule's queue,
   * all through `tx`: deliveries per target queue, and rejection reasons by event id.
   */
  private async route(
    tx: SqlExecutor,
    events: readonly EventEnvelope[],
  ): Promise<{ deliveredTo: Record<string, number>; rejected: Map<string, string> }> {
    const { byRule, matchedEvents } = matchRules(await this.rules.rules(tx), events);
    const deliveredTo: Record<string, number> = {};
    if (events.length > matchedEvents) deliveredTo[UNMATCHED] = events.length - matchedEvents;
    const rejected = new Map<string, string>();
    for (const [rule, matched] of byRule) {
      const queue = new LocalQueue(tx, rule.targetQueue, rule.targetSettings);
      const result = await ingestEvents(matched, queue);
      if (result.enqueued > 0) {
        deliveredTo[rule.targetQueue] = (deliveredTo[rule.targetQueue] ?? 0) + result.enqueued;
      }
      for (const rejection of result.rejected) {
        if (rejection.eventId !== null) rejected.set(rejection.eventId, rejection.reason);
      }
    }
    return { deliveredTo, rejected };
  }

  private toEnvelope(entry: PublishEntry, index: number): EventEnvelope | Failure {
    let detailJson: string | undefined;
    try {
      detailJson = JSON.stringify(entry.detail);
    } catch (error) {
      return { index, errorCode: "MalformedDetail", errorMessage: `Detail is not valid JSON: ${String(error)}` };
    }
    if (detailJson === undefined || !isPlainObject(entry.detail)) {
      return { index, errorCode: "MalformedDetail", errorMessage: "Detail must be a JSON object" };
    }
    const size = entrySize(entry, detailJson);
    if (size > MAX_EVENT_ENTRY_BYTES) {
      return {
        index,
        errorCode: "EntryTooLarge",
        errorMessage: `Entry of ${size} bytes exceeds the ${MAX_EVENT_ENTRY_BYTES}-byte limit`,
      };
    }
    const time = entry.time ?? new Date();
    const parsed = EventEnvelope.safeParse({
      id: randomUUID(),
      version: "0",
      source: entry.source,
      "detail-type": entry.detailType,
      time: Number.isNaN(time.getTime()) ? "invalid" : time.toISOString(),
      region: this.region,
      account: this.account,
      resources: [],
      detail: JSON.parse(detailJson),
    });
    if (!parsed.success) return { index, errorCode: "InvalidArgument", errorMessage: describeIssues(parsed.error) };
    return parsed.data;
  }
}

/** Events per matching rule (an event matched by two rules is delivered twice, as in EventBridge). */
function matchRules(
  rules: readonly EventRule[],
  events: readonly EventEnvelope[],
): { byRule: Map<EventRule, EventEnvelope[]>; matchedEvents: number } {
  const byRule = new Map<EventRule, EventEnvelope[]>();
  let matchedEvents = 0;
  for (const event of events) {
    let matched = false;
    for (const rule of rules) {
      if (!rule.matches(event)) continue;
      matched = true;
      const list = byRule.get(rule);
      if (list) list.push(event);
      else byRule.set(rule, [event]);
    }
    if (matched) matchedEvents++;
  }
  return { byRule, matchedEvents };
}

function entrySize(entry: PublishEntry, detailJson: string): number {
  return (
    Buffer.byteLength(String(entry.source ?? "")) +
    Buffer.byteLength(String(entry.detailType ?? "")) +
    Buffer.byteLength(detailJson) +
    (entry.time ? 14 : 0)
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
