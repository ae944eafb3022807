import { setTimeout } from "node:timers/promises";
import type { Backend } from "../../sdk/backend.js";
import type { AgentsConfig } from "../../sdk/config/runtime.js";
import { UseLiteEncoder } from "../../sdk/local/sentence-encoder.js";
import { log as defaultLog, type LogFn } from "../../sdk/log.js";
import type { TriageAgents } from "../../sdk/ports/agents.js";
import type { SentenceEncoder } from "../../sdk/ports/encoder.js";
import type { ConnectorOptions } from "../../sdk/stores/connectors.js";
import { type GroupingPass, GroupingStage, runGroupingLoop } from "../grouping/grouping-stage.js";
import { startThreadAttacher } from "../grouping/threads.js";
import type { IngestSummary } from "../ingest/ingest-summary.js";
import { startDeliveryLoop } from "../integrations/delivery-loop.js";
import type { SecretResolver } from "../integrations/secrets.js";
import { watchDeadLetters } from "../integrations/slack/dead-letter-watch.js";
import { SlackAlerts } from "../integrations/slack/slack-alerts.js";
import { trackerDeliverers } from "../integrations/trackers/tracker-deliverer.js";
import { runPullTimer } from "../pulls/pull-timer.js";
import { createAgents, resolveConfiguredMode } from "./create-agents.js";
import { describeError } from "./describe-error.js";
import type { PipelineDeps } from "./pipeline.js";
import { withReviewFlags } from "./review-flags.js";
import { runWorker, type WorkerOptions, type WorkerTotals } from "./run-worker.js";

/**
 * What the worker loop needs, composed in this one place for every front end that runs it: the crew
 * configured (FEEDBACK_TRIAGE_AGENTS, the stored `agents.mode`, the key), chosen by a --agents flag (`mode`),
 * or given ready-made (`agents`), over the backend's ports.
 */
export async function pipelineDeps(
  backend: Backend,
  agentsConfig: AgentsConfig,
  crew: { mode?: string; agents?: TriageAgents; log?: LogFn } = {},
): Promise<PipelineDeps> {
  const log = crew.log ?? defaultLog;
  const agents =
    crew.agents ??
    (await createAgents(await resolveConfiguredMode(crew.mode, agentsConfig, backend.configuration), {
      config: agentsConfig,
      onThreadError: (error) => log("warn", "agent_thread_failed", { error: describeError(error) }),
    }));
  return {
    queue: backend.queue,
    tickets: backend.tickets,
    // Items flagged upstream (e.g. mail failing DMARC) are held for review whatever the crew decides.
    agents: withReviewFlags(agents),
    configuration: backend.configuration,
    metrics: backend.metrics,
  };
}

/** The grouping stage over the backend's ports, with the shipped offline encoder unless one is given. */
export function groupingStage(backend: Backend, encoder: SentenceEncoder = new UseLiteEncoder()): GroupingStage {
  return new GroupingStage({ grouping: backend.grouping, configuration: backend.configuration, encoder });
}

/**
 * The worker: the pipeline writes a ticket per item (its synchronous path knows nothing of grouping), and beside
 * it the async grouping stage folds new tickets into their groups when the `grouping` configuration is on. With
 * `once`, the stage finishes its backlog after the queue is empty. A failing pass is logged and retried.
 */
export async function runWorkerService(
  backend: Backend,
  options: WorkerOptions &
    Omit<BesideStagesOptions, "log"> & {
      agents?: string;
      agentsConfig: AgentsConfig;
      onReady?: () => void;
      log?: LogFn;
    },
): Promise<WorkerTotals> {
  const log = options.log ?? defaultLog;
  const deps = await pipelineDeps(backend, options.agentsConfig, { mode: options.agents, log });
  options.onReady?.();
  const stages = startBesideStages(backend, { ...options, log });
  let worked = false;
  try {
    const totals = await runWorker(deps, options);
    worked = true;
    return totals;
  } finally {
    await deps.agents.close?.();
    await stages.stop(worked);
  }
}

export interface BesideStagesOptions {
  /** Finish the grouping backlog once the pipeline has stopped, and deliver no integrations (`worker --once`). */
  once?: boolean;
  /** Stops the stages (after the pipeline, which `stop` is then called for). */
  signal?: AbortSignal;
  encoder?: SentenceEncoder;
  onGroupingPass?: (pass: GroupingPass) => void;
  log: LogFn;
  /** How long an outbound webhook may take to answer. */
  webhookTimeoutMs?: number;
  /** Reads the integrations' secrets ("env:NAME" from the entry point's parsed environment, "file:/path"). */
  secrets: SecretResolver;
  /** Pull the configured store sources this often (`worker --pull-every`); default: no timer. */
  pull?: { everyMs: number; connector: ConnectorOptions };
}

/**
 * What runs beside the pipeline in every long-running worker (the CLI's `worker` and `serve`, the Fargate task):
 * e-mail threads attached, the async grouping stage (when the `grouping` configuration is on) and the outbound
 * integrations' delivery loop (idle until a destination is enabled), and the store pull timer when asked for. `stop(worked)` is called once the pipeline
 * has stopped: the grouping stage then finishes (with `once`, its backlog first), and the thread attacher makes a
 * last pass when the pipeline's work went well.
 */
export function startBesideStages(
  backend: Backend,
  options: BesideStagesOptions,
): { stop: (worked: boolean) => Promise<void> } {
  const { log } = options;
  const stop = new AbortController();
  const abort = () => stop.abort();
  options.signal?.addEventListener("abort", abort, { once: true });
  let queueDone = false;
  const threads = startThreadAttacher(backend.grouping, { log });
  const grouping = runGroupingLoop(groupingStage(backend, options.encoder), {
    once: options.once,
    signal: stop.signal,
    busy: () => !queueDone,
    // The pipeline first: while messages wait, the stage waits (at most MAX_DEFER_MS between passes).
    pipelineBusy: async () => !queueDone && (await backend.queue.depth()).visible > 0,
    onPass: options.onGroupingPass,
    onError: (error) => log("warn", "grouping_pass_failed", { error: describeError(error) }),
  });
  // Outbound integrations (issue 22): only while the worker runs on; idle until a destination is enabled.
  const slack = new SlackAlerts();
  const integrations = options.once
    ? Promise.resolve()
    : startDeliveryLoop(backend.integrations, {
        signal: stop.signal,
        timeoutMs: options.webhookTimeoutMs,
        secrets: options.secrets,
        deliverers: { ...trackerDeliverers(), slack: slack.deliver },
        onError: (error) => log("warn", "integrations_pass_failed", { error: describeError(error) }),
      });
  const deadLetterAlerts = options.once
    ? Promise.resolve()
    : watchDeadLetters({
        dlq: backend.dlq,
        outbox: backend.integrations,
        alerts: slack,
        secrets: options.secrets,
        timeoutMs: options.webhookTimeoutMs,
        signal: stop.signal,
        onError: (error) => log("warn", "dead_letter_alert_failed", { error: describeError(error) }),
      });
  const pulls =
    options.pull && !options.once
      ? runPullTimer(backend, { ...options.pull, signal: stop.signal, log })
      : Promise.resolve(0);
  return {
    stop: async (worked) => {
      queueDone = true;
      if (!options.once) stop.abort();
      await Promise.all([grouping, integrations, pulls, deadLetterAlerts]);
      await threads.stop(worked);
      options.signal?.removeEventListener("abort", abort);
    },
  };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
const sleep = (ms: number, signal?: AbortSignal) => setTimeout(ms, undefined, { signal }).catch(() => undefined);

/**
 * Processes the queue in this process until nothing is waiting, in flight or delayed for retry
 * (items that keep failing end in the DLQ), or until `signal` aborts (after the batch in hand; what
 * was received but not started is released). Used by `ingest --wait`.
 */
export async function drainQueue(
  backend: Backend,
  options: {
    agents?: string;
    agentsConfig: AgentsConfig;
    onBatch?: (processedSoFar: number) => void;
    /** Keep draining until this resolves (e.g. while the ingest that feeds the queue still runs). */
    until?: Promise<unknown>;
    signal?: AbortSignal;
    /** Each batch is logged at debug level as `worker.batch`, as the Fargate worker logs it at info. */
    log?: LogFn;
  },
): Promise<NonNullable<IngestSummary["processed"]>> {
  const deps = {
    ...(await pipelineDeps(backend, options.agentsConfig, { mode: options.agents, log: options.log })),
    retryDelaySeconds: (n: number) => Math.min(n, 2),
  };
  const result = {
    ticketsCreated: 0,
    duplicates: 0,
    failed: 0,
    byPriority: {},
    byCategory: {},
    threadReplies: 0,
  } as NonNullable<IngestSummary["processed"]>;
  const threads = startThreadAttacher(backend.grouping, { log: options.log ?? defaultLog });
  try {
    await drainInto(result, backend, deps, options);
  } catch (error) {
    await threads.stop(false);
    throw error;
  } finally {
    await deps.agents.close?.();
  }
  result.threadReplies = await threads.stop();
  return result;
}

async function drainInto(
  result: NonNullable<IngestSummary["processed"]>,
  backend: Backend,
  deps: PipelineDeps,
  options: Parameters<typeof drainQueue>[1],
): Promise<void> {
  const add = (target: Record<string, number>, source: Record<string, number>) => {
    for (const [key, n] of Object.entries(source)) target[key] = (target[key] ?? 0) + n;
  };
  let producing = Boolean(options.until);
  options.until?.then(
    () => {
      producing = false;
    },
    () => {
      producing = false;
    },
  );
  while (!options.signal?.aborted) {
    await runWorker(deps, {
      once: true,
      signal: options.signal,
      onBatch: (outcome) => {
        result.ticketsCreated += outcome.created;
        result.duplicates += outcome.duplicates;
        result.failed += outcome.failed.length;
        add(result.byPriority, outcome.createdByPriority);
        add(result.byCategory, outcome.createdByCategory);
        options.log?.("debug", "worker.batch", {
          created: outcome.created,
          duplicates: outcome.duplicates,
          failed: outcome.failed.length,
          processed: result.ticketsCreated + result.duplicates,
        });
        options.onBatch?.(result.ticketsCreated + result.duplicates);
      },
    });
    const depth = await backend.queue.depth();
    if (!producing && depth.visible + depth.inFlight + depth.delayed === 0) return;
    await sleep(200, options.signal);
  }
}
