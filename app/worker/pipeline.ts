import { randomUUID } from "node:crypto";
import { type TriageAgents, type TriageConfiguration, TriageResult } from "../../sdk/ports/agents.js";
import type { ConfigurationStore } from "../../sdk/ports/configuration.js";
import type { MetricsSink } from "../../sdk/ports/metrics.js";
import type { MessageQueue, ReceivedMessage } from "../../sdk/ports/queue.js";
import type { NewTicket, TicketRepository } from "../../sdk/ports/tickets.js";
import { QueueMessageBody } from "../../sdk/schemas/events.js";
import type { FeedbackItem } from "../../sdk/schemas/feedback.js";
import { failSpan, type Span, SpanKind, startSpan, traceContextOf } from "../../sdk/tracing/tracing.js";
import { describeError } from "./describe-error.js";
import { startHeartbeat } from "./heartbeat.js";

export interface PipelineDeps {
  queue: MessageQueue;
  /** Commits tickets and acknowledges their messages (the store picks how), records failures. */
  tickets: Pick<TicketRepository, "commitTriaged" | "recordFailure">;
  agents: TriageAgents;
  configuration: ConfigurationStore;
  metrics?: MetricsSink;
  /** Delay before a failed message is retried, by how often it has been received. */
  retryDelaySeconds?: (receiveCount: number) => number;
  /** Visibility re-applied at half its length while a batch is worked on (default 300 s). */
  visibilityTimeoutSeconds?: number;
}

export interface BatchOutcome {
  created: number;
  duplicates: number;
  failed: { messageId: string; error: string }[];
  /** Results dropped because another worker took the message over (visibility timeout expired). */
  lateWrites: number;
  createdByPriority: Record<string, number>;
  createdByCategory: Record<string, number>;
  /** Per created ticket: from the message's send to the commit of its ticket. */
  latenciesMs: number[];
}

interface Prepared {
  message: ReceivedMessage;
  ticket: NewTicket;
}

const defaultRetryDelay = (receiveCount: number) => Math.min(2 ** receiveCount, 60);

/** A batch whose crew work is done, holding its messages (heartbeat running) until it is committed. */
export interface TriagedBatch {
  /** Writes the tickets, acknowledges their messages, releases the failed ones; settles everything it holds. */
  commit(): Promise<BatchOutcome>;
  /** For a batch that will not be committed (the loop is stopping): its messages visible again at once. */
  abandon(): Promise<void>;
}

/** Triages and commits one batch. */
export async function processBatch(deps: PipelineDeps, messages: readonly ReceivedMessage[]): Promise<BatchOutcome> {
  return (await triageBatch(deps, messages)).commit();
}

/**
 * The first half of a batch: its messages parsed and triaged, heartbeat and traces started. The worker loop
 * triages the next batch while this one's `commit` runs, so that the crew and the database work at once.
 */
export async function triageBatch(
  deps: PipelineDeps,
  messages: readonly ReceivedMessage[],
  /** The configuration read with the batch's receive (else read here). */
  config?: TriageConfiguration,
): Promise<TriagedBatch> {
  const heartbeat = startHeartbeat(deps.queue, messages, deps.visibilityTimeoutSeconds ?? 300);
  const traces = new ItemTraces(messages);
  const settle = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      traces.failAll(describeError(error));
      traces.endAll();
      await heartbeat.stop();
      throw error;
    }
  };
  const started = performance.now();
  const triaged = await settle(() => triageMessages(deps, messages, config));
  return {
    commit: () =>
      settle(async () => {
        const outcome = await commitTriaged(deps, triaged, heartbeat.stop, traces);
        traces.endAll();
        await heartbeat.stop();
        await recordMetrics(deps, outcome, messages.length, performance.now() - started);
        return outcome;
      }),
    abandon: async () => {
      traces.endAll();
      await heartbeat.stop();
      await releaseNow(deps.queue, messages);
    },
  };
}

/** Makes messages visible again at once for another worker; a handle gone stale is left as it is. */
export async function releaseNow(queue: MessageQueue, messages: readonly ReceivedMessage[]): Promise<void> {
  for (const message of messages) await queue.changeVisibility(message.receiptHandle, 0).catch(() => undefined);
}

/**
 * One span per message (`feedback.process`, continuing the trace its producer sent in the message attributes),
 * and under it one `ticket.commit` span per ticket around the batch's commit: so each item's trace runs from the
 * handler that received it to the commit of its ticket, although the worker works in batches.
 */
class ItemTraces {
  private readonly spans = new Map<string, ReturnType<typeof startSpan>>();

  constructor(messages: readonly ReceivedMessage[]) {
    for (const message of messages)
      this.spans.set(
        message.messageId,
        startSpan("feedback.process", {
          kind: SpanKind.CONSUMER,
          parent: traceContextOf(message.attributes),
          attributes: { "messaging.message.id": message.messageId, "feedback.receive_count": message.receiveCount },
        }),
      );
  }

  /** Starts a commit span under each message's span; the returned function ends them (with the error, if any). */
  startCommits(prepared: readonly Prepared[]): (result: { created: Set<string> } | { error: string }) => void {
    const commits: { ticketId: string; span: Span }[] = [];
    for (const { message, ticket } of prepared) {
      const parent = this.spans.get(message.messageId);
      if (!parent) continue;
      const { span } = parent.activate(() =>
        startSpan("ticket.commit", { attributes: { "feedback.ticket_id": ticket.id } }),
      );
      commits.push({ ticketId: ticket.id, span });
    }
    return (result) => {
      for (const { ticketId, span } of commits) {
        if ("error" in result) failSpan(span, result.error);
        else {
          span.setAttribute("feedback.outcome", result.created.has(ticketId) ? "created" : "duplicate");
          span.end();
        }
      }
    };
  }

  fail(messageId: string, error: string): void {
    const traced = this.spans.get(messageId);
    if (!traced) return;
    failSpan(traced.span, error);
    this.spans.delete(messageId);
  }

  failAll(error: string): void {
    for (const messageId of [...this.spans.keys()]) this.fail(messageId, error);
  }

  endAll(): void {
    for (const { span } of this.spans.values()) span.end();
    this.spans.clear();
  }
}

interface Triaged {
  prepared: Prepared[];
  failures: { message: ReceivedMessage; error: string }[];
}

async function triageMessages(
  deps: PipelineDeps,
  messages: readonly ReceivedMessage[],
  loaded?: TriageConfiguration,
): Promise<Triaged> {
  const failures: Triaged["failures"] = [];
  const parsed: { message: ReceivedMessage; item: FeedbackItem }[] = [];
  for (const message of messages) {
    const body = QueueMessageBody.safeParse(message.body);
    if (body.success) parsed.push({ message, item: body.data.item });
    else
      failures.push({
        message,
        error: `Invalid message body: ${body.error.issues[0]?.path.join(".")}: ${body.error.issues[0]?.message}`,
      });
  }
  const prepared: Prepared[] = [];
  if (parsed.length > 0) {
    const config = loaded ?? (await deps.configuration.load());
    const results = await triageIsolatingFailures(
      deps.agents,
      parsed.map((p) => p.item),
      config,
    );
    results.forEach((result, index) => {
      const { message, item } = parsed[index]!;
      if ("error" in result) failures.push({ message, error: result.error });
      else prepared.push({ message, ticket: toNewTicket(item, result.value, message.messageId) });
    });
  }
  return { prepared, failures };
}

async function commitTriaged(
  deps: PipelineDeps,
  { prepared, failures }: Triaged,
  stopHeartbeat: () => Promise<void>,
  traces: ItemTraces,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = {
    created: 0,
    duplicates: 0,
    failed: [],
    lateWrites: 0,
    createdByPriority: {},
    createdByCategory: {},
    latenciesMs: [],
  };
  if (prepared.length > 0) {
    const endCommits = traces.startCommits(prepared);
    let committed: Awaited<ReturnType<typeof deps.tickets.commitTriaged>>;
    try {
      committed = await deps.tickets.commitTriaged(
        prepared.map((p) => ({ ticket: p.ticket, receiptHandle: p.message.receiptHandle })),
      );
    } catch (error) {
      endCommits({ error: describeError(error) });
      throw error;
    }
    const { created, duplicates, owned } = committed;
    const createdIds = new Set(created);
    endCommits({ created: createdIds });
    outcome.created = created.length;
    const committedAt = Date.now();
    for (const { ticket, message } of prepared) {
      if (!createdIds.has(ticket.id)) continue;
      outcome.latenciesMs.push(committedAt - message.sentAt.getTime());
      outcome.createdByPriority[ticket.priority] = (outcome.createdByPriority[ticket.priority] ?? 0) + 1;
      outcome.createdByCategory[ticket.category] = (outcome.createdByCategory[ticket.category] ?? 0) + 1;
    }
    outcome.duplicates = duplicates.length;
    outcome.lateWrites = prepared.length - owned.size;
  }

  // Before releasing: a heartbeat landing after a release would hide the message for a full timeout.
  await stopHeartbeat();
  for (const { message, error } of failures) {
    traces.fail(message.messageId, error);
    outcome.failed.push({ messageId: message.messageId, error });
    await releaseForRetry(deps, message, error);
  }
  return outcome;
}

type Attempt = { value: TriageResult } | { error: string };

/** Runs the crew on the batch; if the batch fails as a whole, item by item so one bad item fails alone. */
async function triageIsolatingFailures(
  agents: TriageAgents,
  items: FeedbackItem[],
  config: Awaited<ReturnType<ConfigurationStore["load"]>>,
): Promise<Attempt[]> {
  const validate = (result: unknown): Attempt => {
    const checked = TriageResult.safeParse(result);
    return checked.success
      ? { value: checked.data }
      : {
          error: `Agent output failed validation: ${checked.error.issues[0]?.path.join(".")}: ${checked.error.issues[0]?.message}`,
        };
  };
  try {
    const results = await agents.triage(items, config);
    if (results.length === items.length) return results.map(validate);
  } catch {
    // fall through to one at a time
  }
  const attempts: Attempt[] = [];
  for (const item of items) {
    try {
      const [result] = await agents.triage([item], config);
      attempts.push(validate(result));
    } catch (error) {
      attempts.push({ error: `${agents.name} agents failed: ${describeError(error)}` });
    }
  }
  return attempts;
}

function toNewTicket(item: FeedbackItem, result: TriageResult, messageId: string): NewTicket {
  return {
    id: randomUUID(),
    item,
    title: result.title,
    description: result.description,
    category: result.category,
    priority: result.priority,
    confidence: result.confidence,
    technicalDetails: result.technicalDetails,
    status: result.status,
    qualityScore: result.qualityScore,
    reviewReasons: result.reviewReasons,
    language: result.language ?? null,
    logs: result.logs,
    messageId,
  };
}

async function releaseForRetry(deps: PipelineDeps, message: ReceivedMessage, error: string): Promise<void> {
  const delay = (deps.retryDelaySeconds ?? defaultRetryDelay)(message.receiveCount);
  const body = QueueMessageBody.safeParse(message.body);
  const item = body.success ? body.data.item : null;
  await deps.tickets.recordFailure({
    sourceType: item?.sourceType ?? "unknown",
    sourceId: item?.sourceId ?? message.messageId,
    messageId: message.messageId,
    error,
    receiveCount: message.receiveCount,
  });
  try {
    await deps.queue.changeVisibility(message.receiptHandle, delay, error);
  } catch {
    // The handle went stale (another worker has it now): nothing to release.
  }
}

async function recordMetrics(deps: PipelineDeps, outcome: BatchOutcome, received: number, elapsedMs: number) {
  if (!deps.metrics || received === 0) return;
  await deps.metrics.record([
    { name: "items_processed", value: outcome.created + outcome.duplicates, unit: "Count" },
    { name: "tickets_created", value: outcome.created, unit: "Count" },
    { name: "items_failed", value: outcome.failed.length, unit: "Count" },
    { name: "batch_processing_ms", value: elapsedMs, unit: "Milliseconds" },
  ]);
}
